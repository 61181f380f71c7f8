import { Component, type ErrorInfo, type ReactNode } from 'react';

/**
 * The AI panel is an addition to a page: whatever goes wrong inside it (data of a shape no one
 * expected, a renderer's bug) says so in the panel and leaves the rest of the page working.
 */
export class AiPanelBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('AI panel', error, info.componentStack);
  }

  override render() {
    if (this.state.error) {
      return (
        <p role="alert" className="error">
          The AI analysis could not be shown: {this.state.error.message}
        </p>
      );
    }
    return this.props.children;
  }
}
