// A form of plain text inputs held in React state, for forms that send what was typed once it is submitted
// (the server checks it and names the field at fault); forms checked as they are typed use react-hook-form.
import { type Dispatch, type SetStateAction, useState } from "react";

type TextChange = { target: { value: string } };

/** The values, a setter for them all, and `set(field)`: the `onChange` of the input for one field. */
export function useTextFields<V extends Record<string, string>>(
  initial: V | (() => V),
): [V, Dispatch<SetStateAction<V>>, (field: keyof V) => (event: TextChange) => void] {
  const [values, setValues] = useState(initial);
  const set = (field: keyof V) => (event: TextChange) =>
    setValues((v) => ({ ...v, [field]: event.target.value }));
  return [values, setValues, set];
}
