/** The panel shortcuts' keys and tooltip (plain constants: usable from server and client components). */
export const PANEL_KEYS = { next: "Alt+]", previous: "Alt+[" } as const;

/** The tooltip of a panel: how to move between panels. */
export const PANEL_HINT = `Next panel ${PANEL_KEYS.next} · previous panel ${PANEL_KEYS.previous}`;
