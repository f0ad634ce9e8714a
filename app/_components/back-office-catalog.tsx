'use client';

import Link from 'next/link';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { ConsistencyBanner } from '../_consistency/banner';
import { useCommand } from '../_consistency/use-command';
import { useReadModel } from '../_consistency/use-read-model';
import { useTRPC } from '../_trpc/client';
import type { RouterOutputs } from '../_trpc/types';
import { catalogHref } from './back-office-links';
import { dollarsOf, parseDollars } from './back-office-price';
import { formatCents } from './format';
import { LocalTime } from './local-time';
import { ProductPicture } from './product-picture';

type Product = RouterOutputs['backOffice']['catalog']['products']['products'][number];
type Issues = readonly { path: string; message: string }[];

/** What a refused command says, per field: the procedure's validation issues, else its message under `''`. */
function issuesOf(error: { message: string; data?: { issues?: Issues | null } | null } | null): Issues {
  if (!error) return [];
  return error.data?.issues?.length ? error.data.issues : [{ path: '', message: error.message }];
}


/**
 * The catalog as staff keep it: list a product, reprice or restock one in its row. Each is a command; the
 * table is the storefront's read model, so it (and the storefront, in any tab) shows the change once the read
 * model has caught up, with the banner until then.
 */
export function BackOfficeCatalog({ category, page }: { category?: string; page: number }) {
  const trpc = useTRPC();
  const { data, consistency } = useReadModel(trpc.backOffice.catalog.products.queryOptions({ category, page, sort: 'name' }));
  return (
    <>
      <ConsistencyBanner consistency={consistency} pending="The catalog is catching up with your change; the table updates by itself." />
      <h1>Catalog</h1>
      <ListProductForm categories={data.categories.map((entry) => entry.name)} />
      <nav aria-label="Categories">
        <ul className="filter-list status-filter">
          <li>
            <Link href={catalogHref({})} aria-current={category ? undefined : 'page'}>
              All ({data.categories.reduce((sum, entry) => sum + entry.count, 0)})
            </Link>
          </li>
          {data.categories.map((entry) => (
            <li key={entry.name}>
              <Link href={catalogHref({ category: entry.name })} aria-current={entry.name === category ? 'page' : undefined}>
                {entry.name} ({entry.count})
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {data.products.length === 0 ? (
        <p className="notice">No products here yet.</p>
      ) : (
        <div className="table-scroll">
          <table aria-label="Products">
            <thead>
              <tr>
                <th>Product</th>
                <th>Category</th>
                <th className="number">Price</th>
                <th className="number">Stock</th>
                <th>Listed</th>
                <th>Reprice</th>
                <th>Restock</th>
              </tr>
            </thead>
            <tbody>
              {data.products.map((product) => (
                <ProductRow key={product.productId} product={product} disabled={consistency.behind} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data.pageCount > 1 && (
        <nav className="pager" aria-label="Pages">
          {page > 1 ? <Link href={catalogHref({ category, page: page - 1 })}>← Previous</Link> : <span className="pager-end">← Previous</span>}
          <span>
            Page {page} of {data.pageCount} · {data.total} products
          </span>
          {page < data.pageCount ? <Link href={catalogHref({ category, page: page + 1 })}>Next →</Link> : <span className="pager-end">Next →</span>}
        </nav>
      )}
    </>
  );
}

function ProductRow({ product, disabled }: { product: Product; disabled: boolean }) {
  const trpc = useTRPC();
  const reprice = useCommand(trpc.backOffice.catalog.reprice.mutationOptions());
  const restock = useCommand(trpc.backOffice.catalog.restock.mutationOptions());
  const [price, setPrice] = useState(dollarsOf(product.priceCents));
  const [quantity, setQuantity] = useState('10');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const priceId = useId();
  const quantityId = useId();
  const problems = [fieldError, ...issuesOf(reprice.error).map((issue) => issue.message), ...issuesOf(restock.error).map((issue) => issue.message)].filter(Boolean);

  function sendPrice(event: FormEvent) {
    event.preventDefault();
    const parsed = parseDollars(price);
    if ('error' in parsed) return setFieldError(parsed.error);
    setFieldError(null);
    reprice.send({ productId: product.productId, priceCents: parsed.cents });
  }
  function sendRestock(event: FormEvent) {
    event.preventDefault();
    const amount = Number(quantity);
    if (!Number.isInteger(amount) || amount < 1) return setFieldError('Please restock a whole number, at least 1.');
    setFieldError(null);
    restock.send({ productId: product.productId, quantity: amount });
  }

  return (
    <tr>
      <td>
        <div className="product-cell">
          <ProductPicture product={product} size="thumbnail" />
          <div>
            <Link href={`/products/${product.productId}`}>{product.name}</Link>
            {problems.length > 0 && (
              <p className="error" role="alert">
                {problems.join(' ')}
              </p>
            )}
            {(reprice.isSuccess || restock.isSuccess) && !problems.length && (
              <p className="stock" role="status">
                Saved; the table shows it once the catalog has caught up.
              </p>
            )}
          </div>
        </div>
      </td>
      <td>{product.category}</td>
      <td className="number">{formatCents(product.priceCents)}</td>
      <td className="number">{product.stock === 0 ? <strong className="error">0</strong> : product.stock}</td>
      <td>
        <LocalTime iso={product.listedAt} />
      </td>
      <td>
        <form className="row-form" onSubmit={sendPrice}>
          <label htmlFor={priceId} className="visually-hidden">
            New price of {product.name}, in dollars
          </label>
          <input id={priceId} inputMode="decimal" value={price} onChange={(event) => setPrice(event.target.value)} />
          <button type="submit" className="secondary" disabled={disabled || reprice.isPending}>
            Reprice
          </button>
        </form>
      </td>
      <td>
        <form className="row-form" onSubmit={sendRestock}>
          <label htmlFor={quantityId} className="visually-hidden">
            Units of {product.name} to add
          </label>
          <input id={quantityId} type="number" min={1} step={1} value={quantity} onChange={(event) => setQuantity(event.target.value)} />
          <button type="submit" className="secondary" disabled={disabled || restock.isPending}>
            Add stock
          </button>
        </form>
      </td>
    </tr>
  );
}

const emptyProduct = { name: '', category: '', description: '', price: '', initialStock: '0' };

/** A new product: every field checked by the procedure, whose messages are shown beside the fields. */
function ListProductForm({ categories }: { categories: readonly string[] }) {
  const trpc = useTRPC();
  const list = useCommand(trpc.backOffice.catalog.list.mutationOptions({ onSuccess: () => setFields(emptyProduct) }));
  const [fields, setFields] = useState(emptyProduct);
  const [priceError, setPriceError] = useState<string | null>(null);
  const id = useId();
  const issues = issuesOf(list.error);
  const issueOf = (path: string) => issues.find((issue) => issue.path === path)?.message;
  const general = issues.filter((issue) => !['name', 'category', 'description', 'priceCents', 'initialStock'].includes(issue.path));
  const set = (field: keyof typeof emptyProduct) => (event: { target: { value: string } }) => setFields({ ...fields, [field]: event.target.value });

  function submit(event: FormEvent) {
    event.preventDefault();
    const price = parseDollars(fields.price);
    if ('error' in price) return setPriceError(price.error);
    setPriceError(null);
    list.send({
      name: fields.name,
      category: fields.category,
      description: fields.description,
      priceCents: price.cents,
      // An empty or odd stock goes to the procedure as it is, which says what is wrong with it.
      initialStock: fields.initialStock.trim() === '' ? Number.NaN : Number(fields.initialStock),
    });
  }

  const field = (name: keyof typeof emptyProduct, label: string, issue: string | undefined | null, input: ReactNode, wide = false) => (
    <div className={wide ? 'field wide' : 'field'}>
      <label htmlFor={`${id}-${name}`}>{label}</label>
      {input}
      {issue && (
        <span className="field-issue" id={`${id}-${name}-issue`}>
          {issue}
        </span>
      )}
    </div>
  );
  const described = (name: string, issue: string | undefined | null) => (issue ? { 'aria-describedby': `${id}-${name}-issue`, 'aria-invalid': true } : {});

  return (
    <details className="list-product" open={list.isError || undefined}>
      <summary>
        <strong>List a new product</strong>
      </summary>
      <form className="back-office-form" onSubmit={submit} aria-label="List a new product" noValidate>
        {field('name', 'Name', issueOf('name'), <input id={`${id}-name`} value={fields.name} onChange={set('name')} maxLength={120} {...described('name', issueOf('name'))} />)}
        {field(
          'category',
          'Category',
          issueOf('category'),
          <>
            <input id={`${id}-category`} list={`${id}-categories`} value={fields.category} onChange={set('category')} maxLength={100} {...described('category', issueOf('category'))} />
            <datalist id={`${id}-categories`}>
              {categories.map((category) => (
                <option key={category} value={category} />
              ))}
            </datalist>
          </>,
        )}
        {field(
          'price',
          'Price ($)',
          priceError ?? issueOf('priceCents'),
          <input id={`${id}-price`} inputMode="decimal" placeholder="12.50" value={fields.price} onChange={set('price')} {...described('price', priceError ?? issueOf('priceCents'))} />,
        )}
        {field(
          'initialStock',
          'Stock',
          issueOf('initialStock'),
          <input id={`${id}-initialStock`} type="number" min={0} step={1} value={fields.initialStock} onChange={set('initialStock')} {...described('initialStock', issueOf('initialStock'))} />,
        )}
        {field(
          'description',
          'Description',
          issueOf('description'),
          <textarea id={`${id}-description`} rows={2} value={fields.description} onChange={set('description')} maxLength={2_000} {...described('description', issueOf('description'))} />,
          true,
        )}
        <div className="form-actions">
          <button type="submit" disabled={list.isPending}>
            List product
          </button>
          {general.map((issue) => (
            <span key={issue.message} className="error" role="alert">
              {issue.message}
            </span>
          ))}
          {list.isSuccess && (
            <span role="status">
              Listed. <Link href={`/products/${list.data.productId}`}>See it in the shop</Link> (it appears once the catalog has caught up).
            </span>
          )}
        </div>
      </form>
    </details>
  );
}
