import { describe, expect, it } from "vitest";
import { shortcutOf } from "@/components/lab/use-shortcuts";

const key = (
  k: string,
  mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {},
) => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe("Lab shortcuts", () => {
  it("maps Ctrl or Cmd with Enter / Shift+Enter / S", () => {
    expect(shortcutOf(key("Enter", { ctrlKey: true }))).toBe("run");
    expect(shortcutOf(key("Enter", { metaKey: true }))).toBe("run");
    expect(shortcutOf(key("Enter", { ctrlKey: true, shiftKey: true }))).toBe("generate");
    expect(shortcutOf(key("s", { metaKey: true }))).toBe("save");
  });
  it("leaves plain typing and other chords alone", () => {
    expect(shortcutOf(key("Enter"))).toBeNull();
    expect(shortcutOf(key("s"))).toBeNull();
    expect(shortcutOf(key("Enter", { ctrlKey: true, altKey: true }))).toBeNull();
    expect(shortcutOf(key("S", { ctrlKey: true, shiftKey: true })), "Ctrl+Shift+S is not save").toBeNull();
  });
});
