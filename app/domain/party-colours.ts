/**
 * Party colours for carets, presence and comments (worker side red, employer side blue, anyone
 * else grey). Shared by the browser and by the realtime server, which stamps the colour of each
 * participant's presence from its record of their seat (a client cannot choose its own colour).
 */
export const SIDE_COLOURS = { WORKER: "#b42318", EMPLOYER: "#1d4ed8", NONE: "#4b5563" } as const;
