import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';

import type { GuardFinding } from '../../../shared/api/show';
import type { GuardHit } from '../../../shared/show/text-guard';
import { guardRuns } from '../../../shared/show/text-guard';

/** A text with the guard's hits marked; each mark carries its reason as a tooltip. */
export function GuardText({ text, hits }: { text: string; hits: readonly GuardHit[] }) {
  return (
    <span className="guard-text">
      {guardRuns(text, hits).map((run, i) =>
        run.hit === null ? (
          <span key={i}>{run.text}</span>
        ) : (
          <mark
            key={i}
            className={`guard-hit guard-${run.hit.category}`}
            title={run.hit.reason}
            data-term={run.hit.term}
          >
            {run.text}
          </mark>
        ),
      )}
    </span>
  );
}

/** The hits of one text, with the reason for each word. */
export function GuardHitList({ hits }: { hits: readonly GuardHit[] }) {
  const { t } = useTranslation('show');
  const unique = [...new Map(hits.map((h) => [h.term, h])).values()];
  return (
    <ul className="guard-reasons">
      {unique.map((hit) => (
        <li key={hit.term}>
          <mark className={`guard-hit guard-${hit.category}`}>{hit.text}</mark> {t(`guard.categories.${hit.category}`)}
          {hit.reason !== '' && <small> — {hit.reason}</small>}
        </li>
      ))}
    </ul>
  );
}

/** Everything the guard found in a show, grouped by where it is. */
export function GuardFindings({ findings }: { findings: readonly GuardFinding[] }) {
  const { t } = useTranslation('show');
  if (findings.length === 0) return <p className="guard-clean">{t('guard.clean')}</p>;
  return (
    <div className="guard-findings" data-testid="guard-findings">
      {findings.map((f) => (
        <div key={`${f.source}-${f.sourceId}-${f.field}`} className="guard-finding">
          <div className="guard-where">
            {t(`guard.sources.${f.source}`)} · {f.sourceName} · {fieldLabel(f.field, t)}
          </div>
          <p>
            <GuardText text={f.text} hits={f.hits} />
          </p>
          <GuardHitList hits={f.hits} />
        </div>
      ))}
    </div>
  );
}

function fieldLabel(field: string, t: TFunction<'show'>): string {
  const segment = /^segments\.(\d+)\.(\w+)$/.exec(field);
  if (segment !== null)
    return t('guard.fields.segment', { index: Number(segment[1]) + 1, field: t(`guard.fields.${segment[2]}`) });
  return t(`guard.fields.${field.replace(/\.\d+$/, '').replace(/\./g, '_')}`, { defaultValue: field });
}
