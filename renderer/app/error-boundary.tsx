import type { ErrorInfo, ReactNode } from 'react';
import { Component } from 'react';
import { Translation } from 'react-i18next';

import type { StudioClient } from '../api/client';
import { StudioContext } from '../api/studio-context';
import { errorReporter } from '../state/app-report';

interface Props {
  children: ReactNode;
}
interface State {
  hasError: boolean;
}

/** The one error boundary at the root: logs the crash and offers a reload instead of a blank window. */
export class RootErrorBoundary extends Component<Props, State> {
  static override contextType = StudioContext;
  declare context: StudioClient | null;
  override state: State = { hasError: false };

  static getDerivedStateFromError(): State {
    return { hasError: true };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    if (this.context === null) return;
    void errorReporter(this.context).reportError({
      message: error.message,
      stack: `${error.stack ?? ''}\n${info.componentStack ?? ''}`,
      where: 'root-boundary',
    });
  }

  override render(): ReactNode {
    if (!this.state.hasError) return this.props.children;
    return (
      <Translation>
        {(t) => (
          <div className="boundary" role="alert">
            <h1>{t('boundary.title')}</h1>
            <p>{t('boundary.body')}</p>
            <button type="button" className="primary" onClick={() => location.reload()}>
              {t('boundary.reload')}
            </button>
          </div>
        )}
      </Translation>
    );
  }
}
