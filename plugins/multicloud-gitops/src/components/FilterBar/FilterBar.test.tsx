/** @jsxImportSource react */
import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/test-utils';
import { EMPTY_FILTERS } from '../../lib/filters';
import { FilterBar, TEXT_DEBOUNCE_MS } from './FilterBar';

describe('FilterBar', () => {
  it('debounces the text and reports multi-select choices', async () => {
    const onChange = jest.fn();
    await renderInTestApp(
      <FilterBar
        groups={['hub', 'group-one']}
        filters={EMPTY_FILTERS}
        onChange={onChange}
        summary="Showing 5 of 5"
      />,
    );
    expect(screen.getByText('Showing 5 of 5')).toHaveAttribute(
      'aria-live',
      'polite',
    );

    await userEvent.type(
      screen.getByLabelText('Search clusters and applications'),
      'edge',
    );
    // Typing alone does not filter; the pause does.
    expect(onChange).not.toHaveBeenCalled();
    await act(() => new Promise(r => setTimeout(r, TEXT_DEBOUNCE_MS + 50)));
    expect(onChange).toHaveBeenLastCalledWith({
      ...EMPTY_FILTERS,
      text: 'edge',
    });

    await userEvent.click(screen.getByRole('button', { name: 'Health: all' }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Degraded' }),
    );
    expect(onChange).toHaveBeenLastCalledWith({
      ...EMPTY_FILTERS,
      healths: ['Degraded'],
    });
  });

  it('keeps what was typed after a search was sent, when the filters catch up with that search', async () => {
    const onChange = jest.fn();
    const bar = (text: string) => (
      <FilterBar
        groups={['hub']}
        filters={{ ...EMPTY_FILTERS, text }}
        onChange={onChange}
      />
    );
    const { rerender } = await renderInTestApp(bar(''));
    const input = screen.getByLabelText('Search clusters and applications');
    await userEvent.type(input, 'ed');
    await act(() => new Promise(r => setTimeout(r, TEXT_DEBOUNCE_MS + 50)));
    expect(onChange).toHaveBeenLastCalledWith({ ...EMPTY_FILTERS, text: 'ed' });
    // The user types on while the page is still applying "ed".
    await userEvent.type(input, 'ge');
    rerender(bar('ed'));
    expect(input).toHaveValue('edge');
    await act(() => new Promise(r => setTimeout(r, TEXT_DEBOUNCE_MS + 50)));
    expect(onChange).toHaveBeenLastCalledWith({
      ...EMPTY_FILTERS,
      text: 'edge',
    });
    // A change from outside (back navigation) still shows.
    rerender(bar('west'));
    expect(input).toHaveValue('west');
  });

  it('shows Clear filters disabled while nothing is filtered', async () => {
    await renderInTestApp(
      <FilterBar
        groups={['hub']}
        filters={EMPTY_FILTERS}
        onChange={jest.fn()}
      />,
    );
    // In place before the first filter, so applying one mounts nothing new beside it.
    expect(
      screen.getByRole('button', { name: 'Clear filters' }),
    ).toBeDisabled();
  });

  it('offers to clear active filters', async () => {
    const onChange = jest.fn();
    await renderInTestApp(
      <FilterBar
        groups={['hub']}
        filters={{ ...EMPTY_FILTERS, syncs: ['OutOfSync'] }}
        onChange={onChange}
      />,
    );
    expect(
      screen.getByRole('button', { name: 'Sync: Out of sync' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Clear filters' })).toBeEnabled();
    await userEvent.click(
      screen.getByRole('button', { name: 'Clear filters' }),
    );
    expect(onChange).toHaveBeenCalledWith(EMPTY_FILTERS);
  });
});
