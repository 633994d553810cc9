/**
 * Unsaved Lab work kept in the browser (localStorage), per workspace and strategy: code typed
 * or streamed but not yet saved as a version, and the request. The saved version in the
 * database stays the source of truth; a draft only reopens work that was not saved yet.
 */
export interface LabDraft {
  code: string;
  prompt: string;
  /** The saved version the draft was edited from (null for a strategy not saved yet). */
  baseVersion: number | null;
  /** Stopped mid-stream: the code is what had arrived, not validated. */
  incomplete: boolean;
  savedAtMs: number;
}

const key = (workspaceId: string, strategyId: string | null) =>
  `strategy-lab:draft:${workspaceId}:${strategyId ?? "new"}`;

function storage(): Storage | null {
  try {
    return typeof window === "undefined" ? null : window.localStorage;
  } catch {
    return null;
  }
}

export function readLabDraft(workspaceId: string, strategyId: string | null): LabDraft | null {
  const raw = storage()?.getItem(key(workspaceId, strategyId));
  if (!raw) return null;
  try {
    const d = JSON.parse(raw) as Partial<LabDraft>;
    if (typeof d.code !== "string") return null;
    return {
      code: d.code,
      prompt: typeof d.prompt === "string" ? d.prompt : "",
      baseVersion: typeof d.baseVersion === "number" ? d.baseVersion : null,
      incomplete: d.incomplete === true,
      savedAtMs: Number(d.savedAtMs) || 0,
    };
  } catch {
    return null;
  }
}

export function writeLabDraft(workspaceId: string, strategyId: string | null, draft: LabDraft): void {
  try {
    storage()?.setItem(key(workspaceId, strategyId), JSON.stringify(draft));
  } catch {
    // Storage full or disabled: the draft is a convenience, the saved version remains.
  }
}

export function clearLabDraft(workspaceId: string, strategyId: string | null): void {
  storage()?.removeItem(key(workspaceId, strategyId));
}
