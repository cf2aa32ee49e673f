import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { GuardTerm } from '../../../shared/show/text-guard';
import { checkText, guardCategorySchema } from '../../../shared/show/text-guard';
import { ChoiceSelect, TextAreaField } from '../../components/form-controls';
import { useShowLibrary, useShowLibraryActions } from '../../state/show-library';
import { GuardHitList, GuardText } from './guard-highlight';

interface Row {
  key: number;
  term: GuardTerm;
  /** Exceptions as typed (comma separated), parsed on save. */
  exceptions: string;
}

let rowSeq = 0;
const toRows = (terms: readonly GuardTerm[]): Row[] =>
  terms.map((term) => ({ key: ++rowSeq, term, exceptions: term.exceptions.join('，') }));
const splitList = (text: string): string[] =>
  text
    .split(/[,，、\s]+/u)
    .map((x) => x.trim())
    .filter((x) => x !== '')
    .slice(0, 50);

/** The text guard's word list, which the user edits, and a box to try a text against it. */
export function GuardEditor() {
  const { t } = useTranslation('show');
  const terms = useShowLibrary((s) => s.guardTerms);
  const library = useShowLibraryActions();
  const [rows, setRows] = useState<Row[]>(() => toRows(terms));
  const [filter, setFilter] = useState('');
  const [sample, setSample] = useState('');
  // The list changed in the services (saved, reset, another window): start over from it.
  const [source, setSource] = useState(terms);
  if (source !== terms) {
    setSource(terms);
    setRows(toRows(terms));
  }

  const draft = rows
    .map((r) => ({ ...r.term, exceptions: splitList(r.exceptions) }))
    .filter((x) => x.term.trim() !== '');
  const isDirty = JSON.stringify(draft) !== JSON.stringify(terms);
  const set = (key: number, patch: Partial<Row>) =>
    setRows((d) => d.map((x) => (x.key === key ? { ...x, ...patch } : x)));
  const setTerm = (key: number, patch: Partial<GuardTerm>) =>
    setRows((d) => d.map((x) => (x.key === key ? { ...x, term: { ...x.term, ...patch } } : x)));
  const hits = checkText(sample, draft);
  const save = () => library.setGuardTerms(draft);

  return (
    <div className="guard-editor" data-testid="guard-editor">
      <p className="muted">{t('guard.intro')}</p>
      <div className="card">
        <TextAreaField label={t('guard.try')} data-testid="guard-sample" rows={2} value={sample} onChange={setSample} />
        {sample !== '' &&
          (hits.length === 0 ? (
            <p className="guard-clean">{t('guard.clean')}</p>
          ) : (
            <div data-testid="guard-sample-hits">
              <GuardText text={sample} hits={hits} />
              <GuardHitList hits={hits} />
            </div>
          ))}
      </div>
      <div className="row">
        <input placeholder={t('guard.filter')} value={filter} onChange={(e) => setFilter(e.target.value)} />
        <button
          type="button"
          onClick={() =>
            setRows((d) => [
              { key: ++rowSeq, term: { term: '', category: 'custom', reason: '', exceptions: [] }, exceptions: '' },
              ...d,
            ])
          }
        >
          + {t('guard.add')}
        </button>
        <button type="button" className="primary" disabled={!isDirty} onClick={() => void save()}>
          {t('guard.save')}
        </button>
        <button type="button" onClick={() => void library.resetGuardTerms()}>
          {t('guard.reset')}
        </button>
      </div>
      <table className="guard-table">
        <thead>
          <tr>
            <th>{t('guard.term')}</th>
            <th>{t('guard.category')}</th>
            <th>{t('guard.reason')}</th>
            <th>{t('guard.exceptions')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map(({ key, term, exceptions }) =>
            filter !== '' && !term.term.includes(filter) && !term.reason.includes(filter) ? null : (
              <tr key={key}>
                <td>
                  <input value={term.term} maxLength={40} onChange={(e) => setTerm(key, { term: e.target.value })} />
                </td>
                <td>
                  <ChoiceSelect
                    value={term.category}
                    options={guardCategorySchema.options}
                    label={(c) => t(`guard.categories.${c}`)}
                    onChange={(category) => setTerm(key, { category })}
                  />
                </td>
                <td>
                  <input
                    value={term.reason}
                    maxLength={200}
                    onChange={(e) => setTerm(key, { reason: e.target.value })}
                  />
                </td>
                <td>
                  <input value={exceptions} onChange={(e) => set(key, { exceptions: e.target.value })} />
                </td>
                <td>
                  <button
                    type="button"
                    className="small"
                    onClick={() => setRows((d) => d.filter((x) => x.key !== key))}
                  >
                    {t('guard.remove')}
                  </button>
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}
