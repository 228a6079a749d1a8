// @vitest-environment jsdom
import { act, renderHook } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { useControllableState } from "./useControllableState";

describe("useControllableState", () => {
  it("keeps its own value when not controlled, and reports changes", () => {
    const onChange = vi.fn();
    const { result } = renderHook(() => useControllableState({ prop: undefined, defaultProp: 1, onChange }));

    act(() => result.current[1]((previous) => previous + 1));

    expect(result.current[0]).toBe(2);
    expect(onChange).toHaveBeenCalledWith(2);
  });

  it("shows the parent's value when controlled and only asks the parent to change it", () => {
    const onChange = vi.fn();
    const { result } = renderHook(() => useControllableState({ prop: 5, defaultProp: 1, onChange }));

    act(() => result.current[1](6));

    expect(result.current[0]).toBe(5);
    expect(onChange).toHaveBeenCalledWith(6);
  });

  it("does not report a value that did not change", () => {
    const onChange = vi.fn();
    const { result } = renderHook(() =>
      useControllableState({ prop: undefined, defaultProp: "a", onChange }),
    );

    act(() => result.current[1]("a"));

    expect(onChange).not.toHaveBeenCalled();
  });
});
