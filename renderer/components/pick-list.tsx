// A list to pick one item from (the library's presets, its shows), the same on every page.
import type { ReactNode } from 'react';

/** Each item as a button with its title and a line of detail; the picked one is marked `active`. */
export function PickList<T extends { id: string }>({
  items,
  pickedId,
  onPick,
  title,
  detail,
}: {
  items: readonly T[];
  pickedId: string | undefined;
  onPick: (item: T) => void;
  title: (item: T) => ReactNode;
  detail: (item: T) => ReactNode;
}) {
  return (
    <ul className="pick-list">
      {items.map((item) => (
        <li key={item.id}>
          <button type="button" className={item.id === pickedId ? 'active' : ''} onClick={() => onPick(item)}>
            <strong>{title(item)}</strong>
            <small>{detail(item)}</small>
          </button>
        </li>
      ))}
    </ul>
  );
}
