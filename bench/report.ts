// Where `npm run bench` writes what it measured: the block between two markers in docs/scale.md,
// so the numbers in the docs are the tool's, never pasted by hand.
import * as fs from "fs";

export const reportStart = "<!-- written by npm run bench: start -->";
export const reportEnd = "<!-- written by npm run bench: end -->";

/** `doc` with the text between the markers replaced by `lines` (as a fenced block); throws if a marker is missing. */
export function withReport(doc: string, lines: readonly string[], heading: string): string {
    const start = doc.indexOf(reportStart);
    const end = doc.indexOf(reportEnd);
    if (start < 0 || end < start) {
        throw new Error(`the markers ${reportStart} and ${reportEnd} are missing`);
    }
    const block = [reportStart, "", heading, "", "```", ...lines, "```", "", reportEnd].join("\n");
    return doc.slice(0, start) + block + doc.slice(end + reportEnd.length);
}

/** Rewrites the report in `file`. */
export function writeReport(file: string, lines: readonly string[], heading: string): void {
    fs.writeFileSync(file, withReport(fs.readFileSync(file, "utf8"), lines, heading));
}
