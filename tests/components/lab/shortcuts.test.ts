import { describe, expect, it } from "vitest";
import { panelTarget, shortcutLabel, shortcutOf } from "@/components/lab/use-shortcuts";

const key = (
  k: string,
  mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean; code: string }> = {},
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
  it("maps Alt+] / Alt+[ to the next / previous panel, also by physical key (macOS Option types other characters)", () => {
    expect(shortcutOf(key("]", { altKey: true }))).toBe("nextPanel");
    expect(shortcutOf(key("[", { altKey: true }))).toBe("previousPanel");
    expect(shortcutOf(key("‘", { altKey: true, code: "BracketRight" }))).toBe("nextPanel");
    expect(shortcutOf(key("“", { altKey: true, code: "BracketLeft" }))).toBe("previousPanel");
    expect(shortcutOf(key("]")), "a plain ] is typing").toBeNull();
    expect(shortcutOf(key("]", { ctrlKey: true, altKey: true })), "Ctrl+Alt+] is not a panel key").toBeNull();
    expect(shortcutOf(key("a", { altKey: true }))).toBeNull();
    expect(shortcutLabel("nextPanel")).toBe("Alt+]");
    expect(shortcutLabel("previousPanel")).toBe("Alt+[");
  });
  it("moves between panels with wrap-around, starting at the first (next) or last (previous)", () => {
    expect(panelTarget(4, -1, 1)).toBe(0);
    expect(panelTarget(4, -1, -1)).toBe(3);
    expect(panelTarget(4, 1, 1)).toBe(2);
    expect(panelTarget(4, 3, 1)).toBe(0);
    expect(panelTarget(4, 0, -1)).toBe(3);
    expect(panelTarget(0, -1, 1)).toBe(-1);
  });
});
