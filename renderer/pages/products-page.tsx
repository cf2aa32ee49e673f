import '../features/products/products.css';

import QRCode from 'qrcode';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { Product, SalesPlatform } from '../../shared/api/sales';
import { salesPlatformSchema } from '../../shared/api/sales';
import type { Fen } from '../../shared/money';
import { formatFen, parseYuanToFen } from '../../shared/money';
import type { ProductMedia } from '../../shared/show/product';
import { emptyProductMedia } from '../../shared/show/product';
import { Field, TextAreaField } from '../components/form-controls';
import { AssetImportButton } from '../features/assets/asset-import-button';
import type { ParsedProducts, ProductRow } from '../features/products/product-file';
import { parseProductFile, productsToCsv, productsToJson } from '../features/products/product-file';
import { showError } from '../state/errors';
import { useCatalogue, useCatalogueSync, useProductActions } from '../state/products';
import { useShowLibrary, useShowLibraryActions, useShowLibrarySync } from '../state/show-library';

/** The product library: photo, 3D model, origin, certifications, story, shop links as QR, price per unit. */
export function ProductsPage() {
  useShowLibrarySync();
  useCatalogueSync();
  const { t } = useTranslation('show');
  const catalogue = useCatalogue((s) => s.products);
  const [isShowingArchived, setShowingArchived] = useState(false);
  const products = useMemo(
    () => (isShowingArchived ? catalogue : catalogue.filter((p) => !p.isArchived)),
    [catalogue, isShowingArchived],
  );
  const [query, setQuery] = useState('');
  const [editing, setEditing] = useState<Product | 'new' | null>(null);
  const [pendingImport, setPendingImport] = useState<ParsedProducts | null>(null);
  const fileInput = useRef<HTMLInputElement | null>(null);
  const showProducts = useShowLibrary((s) => s.products);
  const media = useMemo(() => new Map(showProducts.map((p) => [p.id, p])), [showProducts]);

  const q = query.trim().toLowerCase();
  const shown = products.filter(
    (p) =>
      q === '' ||
      [p.name, p.sku, p.origin, ...p.certifications, media.get(p.id)?.story ?? ''].some((x) =>
        x.toLowerCase().includes(q),
      ),
  );
  const rowOf = (p: Product): ProductRow => ({
    name: p.name,
    sku: p.sku,
    unit: p.unit,
    priceFen: p.priceFen,
    origin: p.origin,
    certifications: p.certifications,
    story: media.get(p.id)?.story ?? '',
    shopLinks: p.shopLinks,
  });

  const exportAs = (kind: 'csv' | 'json') => {
    const rows = products.map(rowOf);
    const text = kind === 'csv' ? productsToCsv(rows) : productsToJson(rows);
    const url = URL.createObjectURL(
      new Blob([text], { type: kind === 'csv' ? 'text/csv;charset=utf-8' : 'application/json' }),
    );
    const a = document.createElement('a');
    a.href = url;
    a.download = `${t('products.fileName')}.${kind}`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return (
    <section className="products-page" data-testid="products-page">
      <div className="row">
        <h1>{t('products.title')}</h1>
        <span className="spacer" />
        <input
          type="search"
          data-testid="product-search"
          placeholder={t('products.search')}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <label className="inline">
          <input type="checkbox" checked={isShowingArchived} onChange={(e) => setShowingArchived(e.target.checked)} />
          {t('products.showArchived')}
        </label>
        <button type="button" className="primary" data-testid="product-new" onClick={() => setEditing('new')}>
          {t('products.new')}
        </button>
        <button type="button" onClick={() => fileInput.current?.click()}>
          {t('products.import')}
        </button>
        <button type="button" disabled={products.length === 0} onClick={() => exportAs('csv')}>
          {t('products.exportCsv')}
        </button>
        <button type="button" disabled={products.length === 0} onClick={() => exportAs('json')}>
          {t('products.exportJson')}
        </button>
        <input
          ref={fileInput}
          type="file"
          hidden
          accept=".csv,.json,text/csv,application/json"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file !== undefined)
              void file.text().then((text) => setPendingImport(parseProductFile(file.name, text)));
          }}
        />
      </div>

      {pendingImport !== null && (
        <ImportPreview parsed={pendingImport} existing={products} onDone={() => setPendingImport(null)} />
      )}
      {editing !== null && (
        <ProductForm
          product={editing === 'new' ? null : editing}
          media={editing === 'new' ? emptyProductMedia : (media.get(editing.id) ?? emptyProductMedia)}
          onClose={() => setEditing(null)}
        />
      )}

      {products.length === 0 ? (
        <p className="muted empty">{t('products.empty')}</p>
      ) : (
        <div className="product-grid">
          {shown.map((p) => (
            <ProductCard
              key={p.id}
              product={p}
              media={media.get(p.id) ?? emptyProductMedia}
              onEdit={() => setEditing(p)}
            />
          ))}
          {shown.length === 0 && <p className="muted">{t('products.noMatch')}</p>}
        </div>
      )}
    </section>
  );
}

function useAssetUrl(assetId: string | null): { url: string | undefined; name: string | undefined } {
  const asset = useShowLibrary((s) => (assetId === null ? undefined : s.assets.find((a) => a.id === assetId)));
  return { url: asset?.url, name: asset?.name ?? assetId ?? undefined };
}

function ProductCard({ product, media, onEdit }: { product: Product; media: ProductMedia; onEdit: () => void }) {
  const { t } = useTranslation('show');
  const { archiveProduct } = useProductActions();
  const photo = useAssetUrl(media.photoAssetId);
  const model = useAssetUrl(media.modelAssetId);
  const links = Object.entries(product.shopLinks).filter(
    (e): e is [SalesPlatform, string] => e[1] !== undefined && e[1] !== '',
  );
  return (
    <article className={`product-card${product.isArchived ? ' archived' : ''}`} data-testid="product-card">
      <div className="product-photo">
        {photo.url !== undefined ? <img src={photo.url} alt={product.name} /> : <span>{product.name.slice(0, 2)}</span>}
      </div>
      <div className="product-body">
        <h3>{product.name}</h3>
        <div className="product-price">
          {formatFen(product.priceFen)}
          {product.unit !== '' && <small> / {product.unit}</small>}
        </div>
        {product.origin !== '' && (
          <div className="muted">
            {t('products.origin')}: {product.origin}
          </div>
        )}
        {product.certifications.length > 0 && (
          <div className="badges">
            {product.certifications.map((c) => (
              <span key={c} className="badge">
                {c}
              </span>
            ))}
          </div>
        )}
        {media.story !== '' && <p className="story">{media.story}</p>}
        <div className="muted small">
          {t('products.model')}: {model.name ?? t('products.noModel')}
        </div>
        {links.length > 0 && (
          <div className="qr-row">
            {links.map(([platform, url]) => (
              <ShopQr key={platform} platform={platform} url={url} />
            ))}
          </div>
        )}
        <div className="row">
          <button type="button" onClick={onEdit}>
            {t('products.edit')}
          </button>
          <button type="button" onClick={() => void archiveProduct(product.id, !product.isArchived)}>
            {product.isArchived ? t('products.unarchive') : t('products.archive')}
          </button>
        </div>
      </div>
    </article>
  );
}

function ShopQr({ platform, url }: { platform: SalesPlatform; url: string }) {
  const { t } = useTranslation('show');
  const [src, setSrc] = useState<string | undefined>();
  useEffect(() => {
    let isCurrent = true;
    QRCode.toDataURL(url, { margin: 1, width: 160, errorCorrectionLevel: 'M' }).then(
      (data) => isCurrent && setSrc(data),
      () => isCurrent && setSrc(undefined),
    );
    return () => {
      isCurrent = false;
    };
  }, [url]);
  return (
    <figure className="shop-qr" title={url}>
      {src !== undefined && <img src={src} alt={url} width={80} height={80} />}
      <figcaption>{t(`platforms.${platform}`)}</figcaption>
    </figure>
  );
}

function ProductForm({
  product,
  media,
  onClose,
}: {
  product: Product | null;
  media: ProductMedia;
  onClose: () => void;
}) {
  const { t } = useTranslation('show');
  const assets = useShowLibrary((s) => s.assets);
  const { saveProduct } = useProductActions();
  const { setProductMedia } = useShowLibraryActions();
  const [name, setName] = useState(product?.name ?? '');
  const [sku, setSku] = useState(product?.sku ?? '');
  const [unit, setUnit] = useState(product?.unit ?? '');
  const [price, setPrice] = useState(product === null ? '' : formatFen(product.priceFen, { symbol: false }));
  const [origin, setOrigin] = useState(product?.origin ?? '');
  const [certs, setCerts] = useState(product?.certifications.join('、') ?? '');
  const [links, setLinks] = useState<Partial<Record<SalesPlatform, string>>>(product?.shopLinks ?? {});
  const [story, setStory] = useState(media.story);
  const [photoAssetId, setPhoto] = useState(media.photoAssetId);
  const [modelAssetId, setModel] = useState(media.modelAssetId);
  const [isSaving, setSaving] = useState(false);
  const priceFen = parseYuanToFen(price);
  const isValid = name.trim() !== '' && priceFen !== undefined && priceFen >= 0;

  const save = async () => {
    if (!isValid) return;
    setSaving(true);
    try {
      const saved = await saveProduct({
        ...(product === null ? {} : { id: product.id }),
        name,
        sku,
        unit,
        priceFen: priceFen as Fen,
        origin,
        certifications: certs
          .split(/[,，、]+/u)
          .map((c) => c.trim())
          .filter((c) => c !== '')
          .slice(0, 6),
        shopLinks: Object.fromEntries(Object.entries(links).filter(([, v]) => v !== undefined && v.trim() !== '')),
      });
      await setProductMedia(saved.id, { story, photoAssetId, modelAssetId });
      onClose();
    } catch (error) {
      showError(error);
    } finally {
      setSaving(false);
    }
  };

  const assetSelect = (kind: 'image' | 'model', value: string | null, onChange: (id: string | null) => void) => (
    <span className="asset-pick">
      <select
        value={value ?? ''}
        data-testid={`product-${kind}-select`}
        onChange={(e) => onChange(e.target.value === '' ? null : e.target.value)}
      >
        <option value="">{t('products.none')}</option>
        {value !== null && !assets.some((a) => a.id === value) && <option value={value}>{value}</option>}
        {assets
          .filter((a) => a.kind === kind)
          .map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
      </select>
      <AssetImportButton kind={kind} onImported={(entry) => onChange(entry.id)} />
    </span>
  );

  return (
    <div className="card product-form" data-testid="product-form">
      <h2>{product === null ? t('products.new') : t('products.editTitle', { name: product.name })}</h2>
      <div className="form-grid">
        <Field label={t('products.name')}>
          <input data-testid="product-name" value={name} maxLength={60} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label={t('products.price')}>
          <input
            data-testid="product-price"
            inputMode="decimal"
            value={price}
            aria-invalid={price !== '' && priceFen === undefined}
            onChange={(e) => setPrice(e.target.value)}
          />
        </Field>
        <Field label={t('products.unit')}>
          <input data-testid="product-unit" value={unit} maxLength={20} onChange={(e) => setUnit(e.target.value)} />
        </Field>
        <Field label="SKU">
          <input value={sku} maxLength={64} onChange={(e) => setSku(e.target.value)} />
        </Field>
        <Field label={t('products.origin')}>
          <input
            data-testid="product-origin"
            value={origin}
            maxLength={60}
            onChange={(e) => setOrigin(e.target.value)}
          />
        </Field>
        <Field label={t('products.certifications')}>
          <input
            value={certs}
            placeholder={t('products.certificationsHint')}
            onChange={(e) => setCerts(e.target.value)}
          />
        </Field>
        <Field label={t('products.photo')}>{assetSelect('image', photoAssetId, setPhoto)}</Field>
        <Field label={t('products.model')}>{assetSelect('model', modelAssetId, setModel)}</Field>
      </div>
      <TextAreaField
        label={t('products.story')}
        data-testid="product-story"
        maxLength={2000}
        value={story}
        onChange={setStory}
      />
      <fieldset>
        <legend>{t('products.shopLinks')}</legend>
        <div className="form-grid">
          {salesPlatformSchema.options.map((p) => (
            <Field key={p} label={t(`platforms.${p}`)}>
              <input
                data-testid={`product-link-${p}`}
                value={links[p] ?? ''}
                maxLength={2000}
                placeholder="https://"
                onChange={(e) => setLinks((l) => ({ ...l, [p]: e.target.value }))}
              />
            </Field>
          ))}
        </div>
      </fieldset>
      <div className="row">
        <button
          type="button"
          className="primary"
          data-testid="product-save"
          disabled={!isValid || isSaving}
          onClick={() => void save()}
        >
          {t('products.save')}
        </button>
        <button type="button" onClick={onClose}>
          {t('products.cancel')}
        </button>
      </div>
    </div>
  );
}

/** What an import will do, before it does it; rows that cannot be read are listed by line. */
function ImportPreview({
  parsed,
  existing,
  onDone,
}: {
  parsed: ParsedProducts;
  existing: Product[];
  onDone: () => void;
}) {
  const { t } = useTranslation('show');
  const [progress, setProgress] = useState<number | null>(null);
  const { saveProduct } = useProductActions();
  const { setProductMedia } = useShowLibraryActions();
  // Same SKU (or, without one, the same name) updates the product instead of adding a copy.
  const match = (row: ProductRow) =>
    existing.find((p) => (row.sku !== '' ? p.sku === row.sku : p.sku === '' && p.name === row.name));
  const updates = parsed.rows.filter((r) => match(r) !== undefined).length;

  const run = async () => {
    setProgress(0);
    try {
      for (const [i, row] of parsed.rows.entries()) {
        const target = match(row);
        const saved = await saveProduct({
          ...(target === undefined ? {} : { id: target.id }),
          name: row.name,
          sku: row.sku,
          unit: row.unit,
          priceFen: row.priceFen,
          origin: row.origin,
          certifications: row.certifications,
          shopLinks: row.shopLinks,
        });
        if (row.story !== '') {
          const current = useShowLibrary.getState().products.find((p) => p.id === saved.id);
          await setProductMedia(saved.id, {
            story: row.story,
            photoAssetId: current?.photoAssetId ?? null,
            modelAssetId: current?.modelAssetId ?? null,
          });
        }
        setProgress(i + 1);
      }
      onDone();
    } catch (error) {
      showError(error);
      setProgress(null);
    }
  };

  return (
    <div className="card" data-testid="product-import">
      <h2>{t('products.importTitle')}</h2>
      <p>
        {t('products.importSummary', { add: parsed.rows.length - updates, update: updates, bad: parsed.errors.length })}
      </p>
      {parsed.errors.length > 0 && (
        <ul className="import-errors">
          {parsed.errors.slice(0, 20).map((e) => (
            <li key={`${e.line}-${e.reason}`}>
              {e.line > 0 ? t('products.line', { line: e.line }) : ''} {t(`products.rowErrors.${e.reason}`)}
            </li>
          ))}
        </ul>
      )}
      {progress !== null && <progress max={parsed.rows.length} value={progress} />}
      <div className="row">
        <button
          type="button"
          className="primary"
          disabled={parsed.rows.length === 0 || progress !== null}
          onClick={() => void run()}
        >
          {t('products.importRun', { count: parsed.rows.length })}
        </button>
        <button type="button" disabled={progress !== null} onClick={onDone}>
          {t('products.cancel')}
        </button>
      </div>
    </div>
  );
}
