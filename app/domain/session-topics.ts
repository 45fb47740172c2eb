/** What a session is about: its industry and the topics on the table (shared/GLOSSARY.md). */
export const INDUSTRIES = ["FOOD_DELIVERY", "EXPRESS", "RIDE_HAILING", "FREIGHT", "OTHER"] as const;
export type Industry = (typeof INDUSTRIES)[number];

/** The topics policy names for platform work (总工发〔2021〕12号; 人社部发〔2021〕56号). */
export const TOPICS = [
  "pieceRate",
  "allocation",
  "commission",
  "quota",
  "pay",
  "entryExit",
  "workTime",
  "rest",
  "protection",
  "penalties",
  "algorithm",
] as const;
export type Topic = (typeof TOPICS)[number];
