// Form controls that several feature forms share, so that a caption, an empty choice or a list of
// fixed choices looks and behaves the same on every page.
import type { ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';

type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange' | 'children'>;

/** A captioned control in the house layout (`.field`): caption above, control and any hint below. */
export function Field({
  label,
  isWide = false,
  children,
}: {
  label: ReactNode;
  isWide?: boolean;
  children: ReactNode;
}) {
  return (
    <label className={isWide ? 'field wide' : 'field'}>
      <span>{label}</span>
      {children}
    </label>
  );
}

/** A wide captioned text area (a script, a story, a sample), three rows unless told; `onChange` gets the text. */
export function TextAreaField({
  label,
  value,
  onChange,
  rows = 3,
  ...rest
}: Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'value' | 'onChange'> & {
  label: ReactNode;
  value: string;
  onChange: (text: string) => void;
}) {
  return (
    <Field label={label} isWide>
      <textarea {...rest} rows={rows} value={value} onChange={(e) => onChange(e.target.value)} />
    </Field>
  );
}

/** A select over a fixed list of string choices (an enum); `label` names each choice for the user. */
export function ChoiceSelect<T extends string>({
  value,
  options,
  label,
  onChange,
  ...rest
}: SelectProps & {
  value: T;
  options: readonly T[];
  label: (option: T) => string;
  onChange: (option: T) => void;
}) {
  return (
    <select
      {...rest}
      value={value}
      onChange={(e) => {
        const chosen = options.find((o) => o === e.target.value);
        if (chosen !== undefined) onChange(chosen);
      }}
    >
      {options.map((o) => (
        <option key={o} value={o}>
          {label(o)}
        </option>
      ))}
    </select>
  );
}

/** A select whose first entry means "none" (null, `noneLabel`), followed by the `options`. */
export function OptionalSelect({
  value,
  noneLabel,
  options,
  onChange,
  ...rest
}: SelectProps & {
  value: string | null;
  noneLabel: string;
  options: readonly { value: string; label: string }[];
  onChange: (value: string | null) => void;
}) {
  return (
    <select {...rest} value={value ?? ''} onChange={(e) => onChange(e.target.value === '' ? null : e.target.value)}>
      <option value="">{noneLabel}</option>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}
