import type { Product } from '../../../shared/api/sales';
import type { SalesConnection } from './connection';
import { newId } from './ids';
import type { ProductSave } from './repo-types';
import type { ProductRow } from './rows';
import { notFound, toProduct } from './rows';

// The catalog repository: the studio's products (what a segment sells, what imports match).

export class Catalog {
  constructor(private readonly conn: SalesConnection) {}

  listProducts(includeArchived: boolean): Product[] {
    const sql = includeArchived
      ? 'SELECT * FROM products ORDER BY archived, name'
      : 'SELECT * FROM products WHERE archived = 0 ORDER BY name';
    return (this.conn.stmt(sql).all() as ProductRow[]).map(toProduct);
  }

  getProduct(id: string): Product {
    const row = this.conn.stmt('SELECT * FROM products WHERE id = ?').get(id) as ProductRow | undefined;
    if (row === undefined) throw notFound('product', id);
    return toProduct(row);
  }

  saveProduct(input: ProductSave): Product {
    const now = this.conn.now();
    return this.conn.db.transaction(() => {
      const values = {
        name: input.name,
        sku: input.sku,
        unit: input.unit,
        price_fen: input.priceFen,
        origin: input.origin,
        certifications: JSON.stringify(input.certifications),
        shop_links: JSON.stringify(input.shopLinks),
        now,
      };
      if (input.id === undefined) {
        const id = newId();
        this.conn.db
          .prepare(
            `INSERT INTO products (id, name, sku, unit, price_fen, origin, certifications, shop_links, created_at, updated_at)
             VALUES (@id, @name, @sku, @unit, @price_fen, @origin, @certifications, @shop_links, @now, @now)`,
          )
          .run({ ...values, id });
        this.conn.audit('create', 'product', id, { name: input.name, priceFen: input.priceFen });
        return this.getProduct(id);
      }
      const before = this.getProduct(input.id);
      this.conn.db
        .prepare(
          `UPDATE products SET name = @name, sku = @sku, unit = @unit, price_fen = @price_fen, origin = @origin,
             certifications = @certifications, shop_links = @shop_links, updated_at = @now WHERE id = @id`,
        )
        .run({ ...values, id: input.id });
      this.conn.audit('update', 'product', input.id, { before: { name: before.name, priceFen: before.priceFen } });
      return this.getProduct(input.id);
    })();
  }

  archiveProduct(id: string, isArchived: boolean): Product {
    return this.conn.db.transaction(() => {
      const info = this.conn.db
        .prepare('UPDATE products SET archived = ?, updated_at = ? WHERE id = ?')
        .run(isArchived ? 1 : 0, this.conn.now(), id);
      if (info.changes === 0) throw notFound('product', id);
      this.conn.audit(isArchived ? 'archive' : 'unarchive', 'product', id, {});
      return this.getProduct(id);
    })();
  }
}
