/** Party colours for carets, presence and comments (worker side red, employer side blue). */
export const SIDE_COLOURS = { WORKER: "#b42318", EMPLOYER: "#1d4ed8", NONE: "#4b5563" } as const;
