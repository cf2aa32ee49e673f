import type {
  AmountMeaning,
  ColumnMapping,
  GmvColumn,
  ImportField,
  ImportPlatform,
  SalesPlatform,
} from '../../api/sales';

// Column presets per platform, from the header lists in ../shared/order-exports.md. Columns are
// matched by (normalised) name, never by position: platforms add and rename columns often.

/** Header text as compared: no BOM, tabs, quotes or spaces; full-width brackets made half-width. */
export function normaliseHeader(text: string): string {
  return text
    .replace(/^\uFEFF/u, '')
    .replace(/[（]/gu, '(')
    .replace(/[）]/gu, ')')
    .replace(/[\s\t"'=]/gu, '')
    .toLowerCase();
}

interface Preset {
  readonly platform: Exclude<ImportPlatform, 'generic'>;
  /** Every group must have one header present for the preset to fit. */
  readonly signature: readonly (readonly string[])[];
  /** Candidates per field, best first. */
  readonly columns: Partial<Record<ImportField, readonly string[]>>;
}

// Order time: the moment the viewer ordered (下单/提交/创建) is what attribution needs; the payment
// time is the fallback when it is missing.
const presets: readonly Preset[] = [
  {
    platform: 'douyin',
    signature: [['主订单编号'], ['订单提交时间', '子订单编号', '选购商品']],
    columns: {
      orderId: ['主订单编号'],
      lineId: ['子订单编号'],
      orderedAt: ['订单提交时间'],
      paidAt: ['支付完成时间'],
      productTitle: ['选购商品'],
      externalProductId: ['商品ID'],
      sku: ['商家编码', '货号'],
      quantity: ['商品数量'],
      unitPrice: ['商品单价', '商品金额'],
      // The 商品维度 export has one row per 子订单, and 订单应付金额 is that sub-order's payable.
      lineAmount: ['订单应付金额'],
      status: ['订单状态'],
      afterSale: ['售后状态'],
    },
  },
  {
    platform: 'taobao',
    signature: [
      ['订单编号', '主订单编号'],
      ['订单创建时间'],
      ['宝贝标题', '商品标题', '买家会员名', '宝贝总数量', '标题'],
    ],
    columns: {
      orderId: ['主订单编号', '订单编号'],
      lineId: ['子订单编号'],
      orderedAt: ['订单创建时间'],
      paidAt: ['订单付款时间'],
      productTitle: ['商品标题', '宝贝标题', '标题'],
      externalProductId: ['商品ID'],
      sku: ['商家编码', '外部系统编号'],
      quantity: ['购买数量', '宝贝总数量'],
      unitPrice: ['商品价格', '价格'],
      orderAmount: ['买家实付金额', '买家实际支付金额', '总金额'],
      status: ['订单状态'],
      afterSale: ['退款状态'],
    },
  },
  {
    platform: 'kuaishou',
    signature: [['订单号'], ['订单创建时间'], ['成交数量', '实付款']],
    columns: {
      orderId: ['订单号'],
      orderedAt: ['订单创建时间'],
      paidAt: ['订单支付时间'],
      productTitle: ['商品名称'],
      externalProductId: ['商品ID'],
      sku: ['SKU编码'],
      quantity: ['成交数量'],
      unitPrice: ['商品单价'],
      orderAmount: ['实付款'],
      status: ['订单状态'],
      afterSale: ['售后状态'],
    },
  },
  {
    platform: 'pinduoduo',
    signature: [['订单号'], ['商品'], ['用户实付金额(元)', '商品总价(元)', '商品数量(件)']],
    columns: {
      orderId: ['订单号'],
      orderedAt: ['订单成交时间', '支付时间', '拼单成功时间'],
      paidAt: ['支付时间'],
      productTitle: ['商品'],
      externalProductId: ['商品id'],
      sku: ['商家编码-SKU维度', '商家编码-规格维度', '商家编码-商品维度'],
      quantity: ['商品数量(件)'],
      orderAmount: ['用户实付金额(元)', '商品总价(元)'],
      status: ['订单状态'],
      afterSale: ['售后状态'],
    },
  },
  {
    platform: 'weixin',
    signature: [['订单号'], ['订单下单时间']],
    columns: {
      orderId: ['订单号'],
      orderedAt: ['订单下单时间'],
      paidAt: ['支付时间'],
      productTitle: ['商品名称'],
      externalProductId: ['商品编码(平台)'],
      sku: ['SKU编码(自定义)', '商品编码(自定义)'],
      quantity: ['商品数量'],
      unitPrice: ['商品实际价格(单件)', '商品价格(单件)'],
      lineAmount: ['商品实际价格(总共)'],
      orderAmount: ['订单实际支付金额'],
      status: ['订单状态'],
      afterSale: ['商品售后'],
    },
  },
  {
    platform: 'xiaohongshu',
    signature: [['订单号'], ['小红书编码', 'SKU件数', '商家应收金额(元)(支付金额)']],
    columns: {
      orderId: ['订单号'],
      orderedAt: ['订单创建时间'],
      paidAt: ['支付时间'],
      productTitle: ['商品名称', 'SKU名称'],
      externalProductId: ['商品ID', '小红书编码'],
      sku: ['商家编码'],
      quantity: ['SKU件数'],
      // One row per SKU, and every money column is that SKU line's own (not the order's repeated):
      // summed per line, not once per order, or every further SKU of an order is lost.
      lineAmount: ['用户应付金额(元)', '商家应收金额(元)(支付金额)', '商品总价(元)'],
      status: ['订单状态'],
      afterSale: ['售后状态'],
    },
  },
];

/**
 * What each platform's money columns mean, from the platforms' own field descriptions
 * (/work/shared/order-exports.md and the 商家后台 help): the GMV a seller compares with the
 * platform's 成交金额 is what buyers paid, so every preset sums a buyer-paid column first.
 *
 * - 抖店 订单应付金额: the sub-order's payable after every discount (buyer paid), one row per 子订单.
 * - 淘宝/千牛 买家实付金额 (买家实际支付金额 in the legacy file): buyer paid, postage included; 总金额 is
 *   货款 + 邮费 before discounts (list price).
 * - 快手 实付款: buyer paid (one product per order).
 * - 拼多多 用户实付金额(元): buyer paid; 商家实收金额(元) adds back platform subsidies (merchant
 *   received); 商品总价(元) is the list price.
 * - 视频号 商品实际价格(总共): the line's price after discounts (buyer paid, per SKU row);
 *   订单实际支付金额: the order's buyer-paid total; 订单实际收款金额: merchant received.
 * - 小红书 用户应付金额(元): what the buyer pays for that SKU row after platform and shop discounts;
 *   商家应收金额(元)（支付金额）: what the merchant receives (platform-funded discounts added back);
 *   商品总价(元): list price × SKU件数. One row per SKU, each row its own amounts.
 */
const amountMeanings: ReadonlyMap<string, AmountMeaning> = new Map(
  (
    [
      ['订单应付金额', 'buyer-paid'],
      ['买家实付金额', 'buyer-paid'],
      ['买家实际支付金额', 'buyer-paid'],
      ['总金额', 'list-price'],
      ['实付款', 'buyer-paid'],
      ['用户实付金额(元)', 'buyer-paid'],
      ['商家实收金额(元)', 'merchant-received'],
      ['商品总价(元)', 'list-price'],
      ['商品实际价格(总共)', 'buyer-paid'],
      ['订单实际支付金额', 'buyer-paid'],
      ['订单实际收款金额', 'merchant-received'],
      ['用户应付金额(元)', 'buyer-paid'],
      ['商家应收金额(元)(支付金额)', 'merchant-received'],
      ['商品单价', 'list-price'],
      ['商品金额', 'list-price'],
      ['商品价格', 'list-price'],
      ['价格', 'list-price'],
      ['商品实际价格(单件)', 'buyer-paid'],
      ['商品价格(单件)', 'list-price'],
    ] as const
  ).map(([header, meaning]) => [normaliseHeader(header), meaning]),
);

/** The meaning of a money column by its header (unknown for a user's own mapping of another column). */
export function amountMeaningOf(header: string): AmountMeaning {
  return amountMeanings.get(normaliseHeader(header)) ?? 'unknown';
}

/**
 * The column a mapping's GMV sums, as the normaliser picks it: a line amount per line, else an
 * order amount once per order, else the unit price times the quantity.
 */
export function gmvColumnOf(mapping: ColumnMapping): GmvColumn | null {
  for (const field of ['lineAmount', 'orderAmount', 'unitPrice'] as const) {
    const column = mapping.columns[field];
    if (column !== undefined) return { column, field, meaning: amountMeaningOf(column) };
  }
  return null;
}

/** The platform a sale from this import preset is recorded under. */
export function platformOf(preset: ImportPlatform): SalesPlatform {
  return preset === 'generic' ? 'other' : preset;
}

/** Human name of a preset's built-in mapping. */
export const presetNames: Record<Exclude<ImportPlatform, 'generic'>, string> = {
  douyin: '抖店',
  taobao: '淘宝/千牛',
  kuaishou: '快手小店',
  pinduoduo: '拼多多',
  weixin: '视频号小店',
  xiaohongshu: '小红书',
};

function resolveColumns(preset: Preset, headers: readonly string[]): ColumnMapping['columns'] {
  const byName = new Map<string, string>();
  headers.forEach((h) => {
    const key = normaliseHeader(h);
    if (key !== '' && !byName.has(key)) byName.set(key, h);
  });
  const columns: ColumnMapping['columns'] = {};
  for (const [field, candidates] of Object.entries(preset.columns) as [ImportField, readonly string[]][]) {
    for (const candidate of candidates) {
      const found = byName.get(normaliseHeader(candidate));
      if (found !== undefined) {
        columns[field] = found;
        break;
      }
    }
  }
  return columns;
}

/** The preset whose signature fits a header row, with its columns resolved; undefined if none. */
export function detectPreset(
  headers: readonly string[],
  only?: Exclude<ImportPlatform, 'generic'>,
): { platform: Exclude<ImportPlatform, 'generic'>; mapping: ColumnMapping } | undefined {
  const present = new Set(headers.map(normaliseHeader));
  let best: { platform: Exclude<ImportPlatform, 'generic'>; mapping: ColumnMapping; score: number } | undefined;
  for (const preset of presets) {
    if (only !== undefined && preset.platform !== only) continue;
    const fits = preset.signature.every((group) => group.some((h) => present.has(normaliseHeader(h))));
    if (!fits) continue;
    const columns = resolveColumns(preset, headers);
    if (columns.orderId === undefined || (columns.orderedAt === undefined && columns.paidAt === undefined)) continue;
    const score = Object.keys(columns).length + preset.signature.length;
    if (best === undefined || score > best.score) {
      best = {
        platform: preset.platform,
        mapping: { name: presetNames[preset.platform], platform: preset.platform, columns, amountUnit: 'yuan' },
        score,
      };
    }
  }
  return best === undefined ? undefined : { platform: best.platform, mapping: best.mapping };
}

/** True when every column a mapping names is in the header row and the required fields are mapped. */
export function mappingFits(mapping: ColumnMapping, headers: readonly string[]): boolean {
  const present = new Set(headers.map(normaliseHeader));
  if (mapping.columns.orderId === undefined) return false;
  if (mapping.columns.orderedAt === undefined && mapping.columns.paidAt === undefined) return false;
  return Object.values(mapping.columns).every((h) => h === undefined || present.has(normaliseHeader(h)));
}
