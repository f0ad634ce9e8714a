/** The storefront's price facet. Bounds in cents; `to` is exclusive, as in an Elasticsearch range. */
export const priceBands = [
  { key: 'under-15', label: 'Under $15', to: 1_500 },
  { key: '15-30', label: '$15 to $30', from: 1_500, to: 3_000 },
  { key: '30-60', label: '$30 to $60', from: 3_000, to: 6_000 },
  { key: '60-plus', label: '$60 and up', from: 6_000 },
] as const;

export type PriceBandKey = (typeof priceBands)[number]['key'];

export const priceBandKeys = priceBands.map((band) => band.key) as [PriceBandKey, ...PriceBandKey[]];
