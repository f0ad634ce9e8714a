'use client';

import type { RouterInputs } from '../_trpc/types';

export type ShippingAddressInput = RouterInputs['cart']['checkOut']['shippingAddress'];

/** Where the shop ships to; the order records the two-letter code. */
const countries = ['NL', 'BE', 'DE', 'FR', 'GB', 'IE', 'ES', 'IT', 'DK', 'SE', 'US', 'CA'] as const;
const countryName = new Intl.DisplayNames(['en'], { type: 'region' });

const fields = [
  { name: 'name', label: 'Full name', autoComplete: 'name', required: true },
  { name: 'line1', label: 'Street and house number', autoComplete: 'address-line1', required: true },
  { name: 'line2', label: 'Apartment, suite (optional)', autoComplete: 'address-line2', required: false },
  { name: 'postalCode', label: 'Postal code', autoComplete: 'postal-code', required: true },
  { name: 'city', label: 'City', autoComplete: 'address-level2', required: true },
] as const;

/** The address as the checkout form holds it: its fields are named after the address's own. */
export function readShippingAddress(form: FormData): ShippingAddressInput {
  const text = (name: string) => String(form.get(name) ?? '');
  return {
    name: text('name'),
    line1: text('line1'),
    line2: text('line2'),
    postalCode: text('postalCode'),
    city: text('city'),
    country: text('country'),
  };
}

/**
 * The checkout's shipping address, as a part of the checkout form. The server validates it (the browser's
 * `required` is only a courtesy), and its messages come back as issues per field, shown beside the field they
 * are about.
 */
export function ShippingAddressFields(props: { issues: readonly { path: string; message: string }[] }) {
  const issueOf = (field: string) => props.issues.find((issue) => issue.path === `shippingAddress.${field}`)?.message;
  return (
    <fieldset className="checkout-part">
      <legend>Shipping address</legend>
      {fields.map((field) => {
        const issue = issueOf(field.name);
        return (
          <p key={field.name} className="field">
            <label htmlFor={`address-${field.name}`}>{field.label}</label>
            <input
              id={`address-${field.name}`}
              name={field.name}
              autoComplete={field.autoComplete}
              required={field.required}
              aria-invalid={issue ? true : undefined}
              aria-describedby={issue ? `address-${field.name}-issue` : undefined}
            />
            {issue && (
              <span id={`address-${field.name}-issue`} className="field-issue">
                {issue}
              </span>
            )}
          </p>
        );
      })}
      <p className="field">
        <label htmlFor="address-country">Country</label>
        <select id="address-country" name="country" autoComplete="country" defaultValue="NL">
          {countries.map((code) => (
            <option key={code} value={code}>
              {countryName.of(code)}
            </option>
          ))}
        </select>
      </p>
    </fieldset>
  );
}
