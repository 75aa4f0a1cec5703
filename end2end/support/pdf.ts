// Reading a printed PDF in a test.

/** How many pages `pdf` has (its page objects, not the page tree's `/Pages`). */
export const pagesOf = (pdf: Buffer) => (pdf.toString("latin1").match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
