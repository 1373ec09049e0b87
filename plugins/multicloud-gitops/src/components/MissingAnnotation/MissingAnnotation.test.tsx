/** @jsxImportSource react */
import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { MissingAnnotation } from './MissingAnnotation';

describe('MissingAnnotation', () => {
  it('names the annotations and shows a snippet to copy', async () => {
    await renderInTestApp(<MissingAnnotation />);
    expect(
      screen.getByText(/Add the validatedpatterns.io\/pattern annotation/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/argocd\/app-name/, { selector: 'p' }),
    ).toBeInTheDocument();
    expect(document.body.textContent).toContain(
      'validatedpatterns.io/pattern: multicloud-gitops',
    );
  });

  it('shows the backend reason when there is one', async () => {
    await renderInTestApp(
      <MissingAnnotation reason="Add validatedpatterns.io/hub: two hubs run this pattern" />,
    );
    expect(
      screen.getByText(
        'Add validatedpatterns.io/hub: two hubs run this pattern',
      ),
    ).toBeInTheDocument();
  });
});
