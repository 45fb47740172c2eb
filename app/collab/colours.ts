/** Party colours for carets, presence and comments: defined once in the domain (the server stamps presence with them). */
export { SIDE_COLOURS } from "../domain/party-colours.ts";
