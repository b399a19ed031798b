// Where `npm run bench` writes what it measured: its block in docs/scale.md, so the numbers in
// the docs are the tool's, never pasted by hand.
import { withBlock, writeBlock } from "../test/kit/generatedBlock";

export const benchCommand = "npm run bench";

/** The block's text: a heading line and the report as printed, fenced. */
export function reportBody(lines: readonly string[], heading: string): string {
    return ["", heading, "", "```", ...lines, "```", ""].join("\n");
}

/** `doc` with the report replaced; throws if its markers are missing. */
export function withReport(doc: string, lines: readonly string[], heading: string): string {
    return withBlock(doc, benchCommand, reportBody(lines, heading));
}

/** Rewrites the report in `file`. */
export function writeReport(file: string, lines: readonly string[], heading: string): void {
    writeBlock(file, benchCommand, reportBody(lines, heading));
}
