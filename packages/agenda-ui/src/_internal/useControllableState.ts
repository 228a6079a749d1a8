import { useCallback, useRef, useState } from "react";

interface ControllableStateOptions<Value> {
  /** The value when the parent controls it; `undefined` leaves it to the component. */
  prop: Value | undefined;
  /** The first value when the component keeps it itself. */
  defaultProp: Value;
  /** Called with each new value, controlled or not. */
  onChange?: ((value: Value) => void) | undefined;
}

/**
 * A value that the parent may control (`value` + `onChange`) or leave to the component
 * (`defaultValue`), the same way everywhere, as Radix does.
 */
export function useControllableState<Value>({
  prop,
  defaultProp,
  onChange,
}: ControllableStateOptions<Value>): [Value, (next: Value | ((previous: Value) => Value)) => void] {
  const [uncontrolled, setUncontrolled] = useState(defaultProp);
  const isControlled = prop !== undefined;
  const value = isControlled ? prop : uncontrolled;

  // Refs so the setter keeps one identity while still seeing the latest value and callback.
  const valueRef = useRef(value);
  valueRef.current = value;
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  const setValue = useCallback(
    (next: Value | ((previous: Value) => Value)) => {
      const resolved =
        typeof next === "function" ? (next as (previous: Value) => Value)(valueRef.current) : next;
      if (Object.is(resolved, valueRef.current)) return;
      if (!isControlled) setUncontrolled(resolved);
      valueRef.current = resolved;
      onChangeRef.current?.(resolved);
    },
    [isControlled],
  );

  return [value, setValue];
}
