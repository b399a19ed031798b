// A block of a docs page that a tool writes (the benchmark, the attack table): the text between
// two markers named after the command, so the numbers in the docs are the tool's and the prose
// around them is a person's. Shared by the benchmark and the test kit.
import * as fs from "fs";

export function markers(command: string): { readonly start: string; readonly end: string } {
    return { start: `<!-- written by ${command}: start -->`, end: `<!-- written by ${command}: end -->` };
}

/** `doc` with the text between `command`'s markers replaced by `body`; throws if a marker is missing. */
export function withBlock(doc: string, command: string, body: string): string {
    const { start, end } = markers(command);
    const from = doc.indexOf(start);
    const to = doc.indexOf(end);
    if (from < 0 || to < from) {
        throw new Error(`the markers ${start} and ${end} are missing`);
    }
    return `${doc.slice(0, from)}${start}\n${body}\n${end}${doc.slice(to + end.length)}`;
}

/** What stands between `command`'s markers in `doc`. */
export function blockOf(doc: string, command: string): string {
    const { start, end } = markers(command);
    const from = doc.indexOf(start);
    const to = doc.indexOf(end);
    if (from < 0 || to < from) {
        throw new Error(`the markers ${start} and ${end} are missing`);
    }
    return doc.slice(from + start.length + 1, to - 1);
}

/** Rewrites `command`'s block in `file`. */
export function writeBlock(file: string, command: string, body: string): void {
    fs.writeFileSync(file, withBlock(fs.readFileSync(file, "utf8"), command, body));
}
