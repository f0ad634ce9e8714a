'use client';

import { useState, type FormEvent } from 'react';
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

/**
 * The checkout's shipping address. The server validates it (the browser's `required` is only a courtesy), and
 * its messages come back as issues per field, which show beside the field they are about.
 */
export function ShippingAddressForm(props: {
  disabled: boolean;
  pending: boolean;
  issues: readonly { path: string; message: string }[];
  onSubmit: (address: ShippingAddressInput) => void;
}) {
  const [country, setCountry] = useState<string>('NL');
  const issueOf = (field: string) => props.issues.find((issue) => issue.path === `shippingAddress.${field}`)?.message;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '');
    props.onSubmit({
      name: text('name'),
      line1: text('line1'),
      line2: text('line2'),
      postalCode: text('postalCode'),
      city: text('city'),
      country,
    });
  }

  return (
    <form className="address-form" aria-label="Shipping address" onSubmit={submit} noValidate>
      <h2>Shipping address</h2>
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
        <select id="address-country" autoComplete="country" value={country} onChange={(event) => setCountry(event.target.value)}>
          {countries.map((code) => (
            <option key={code} value={code}>
              {countryName.of(code)}
            </option>
          ))}
        </select>
      </p>
      <p className="actions">
        <button type="submit" disabled={props.disabled}>
          {props.pending ? 'Placing your order…' : 'Check out'}
        </button>
      </p>
    </form>
  );
}
