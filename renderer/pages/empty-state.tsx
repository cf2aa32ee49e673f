import { useTranslation } from 'react-i18next';

/** A page with nothing in it yet says what to do next. */
export function EmptyState({ what }: { what: 'products' | 'shows' | 'analytics' | 'studio' }) {
  const { t } = useTranslation();
  return (
    <section className="empty-state" data-empty={what}>
      <h1>{t(`nav.${what}`)}</h1>
      <p>{t(`empty.${what}`)}</p>
    </section>
  );
}
