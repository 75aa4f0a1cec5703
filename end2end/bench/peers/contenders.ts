// The apps the peers bench loads, and how each one's note field is found.
import type { Contender } from "./measure";

export const PEERPULSE: Contender = { key: "peerpulse", name: "PeerPulse", label: "PeerPulse (worker app)", note: "#insight-note", save: true };

/** The peers, each a page of peers/dist at `path`. */
export const PEERS: (Contender & { path: string })[] = [
  {
    key: "odk",
    name: "ODK Web Forms",
    label: "ODK Web Forms 0.22.0 (Vue 3.5.45)",
    path: "/odk/",
    note: "input.p-inputtext:not(.p-inputnumber-input)",
    save: false,
  },
  { key: "enketo", name: "Enketo", label: "Enketo (enketo-core 8.1.0)", path: "/enketo/", note: 'input[name="/encounter/note"]', save: false },
];
