// The fields of field.tsx bound to a react-hook-form form by name: registered, and showing the form's
// error for that name (the schema's or the server's). An `error` given here shows when the form has none.
import type { ComponentProps } from "react";
import type { FieldValues, Path, RegisterOptions, UseFormReturn } from "react-hook-form";
import { SelectField, TextAreaField, TextField } from "./field";

type Bound<V extends FieldValues, C, O> = {
  form: UseFormReturn<V, C, O>;
  name: Path<V>;
  /** react-hook-form's own options, e.g. an `onChange` that runs after the value is stored. */
  options?: RegisterOptions<V, Path<V>>;
};

const errorOf = <V extends FieldValues, C, O>(form: UseFormReturn<V, C, O>, name: Path<V>) =>
  form.getFieldState(name, form.formState).error?.message;

export function FormTextField<V extends FieldValues, C, O>({
  form,
  name,
  options,
  error,
  ...input
}: Bound<V, C, O> & Omit<ComponentProps<typeof TextField>, "name" | "form">) {
  return <TextField {...input} {...form.register(name, options)} error={errorOf(form, name) ?? error} />;
}

export function FormTextAreaField<V extends FieldValues, C, O>({
  form,
  name,
  options,
  error,
  ...input
}: Bound<V, C, O> & Omit<ComponentProps<typeof TextAreaField>, "name" | "form">) {
  return <TextAreaField {...input} {...form.register(name, options)} error={errorOf(form, name) ?? error} />;
}

/** A select of `choices` named by `choiceLabel`, or of the `children` given instead. */
export function FormSelectField<V extends FieldValues, C, O, T extends string>({
  form,
  name,
  options,
  error,
  choices,
  choiceLabel,
  children,
  ...input
}: Bound<V, C, O> &
  Omit<ComponentProps<typeof SelectField>, "name" | "form"> & {
    choices?: readonly T[];
    choiceLabel?: (choice: T) => string;
  }) {
  return (
    <SelectField {...input} {...form.register(name, options)} error={errorOf(form, name) ?? error}>
      {children}
      {choices?.map((choice) => (
        <option key={choice} value={choice}>
          {choiceLabel ? choiceLabel(choice) : choice}
        </option>
      ))}
    </SelectField>
  );
}
