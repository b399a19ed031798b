import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { benchCommand, withReport } from "../../bench/report";
import { markers } from "../kit/generatedBlock";

const { start, end } = markers(benchCommand);

describe("the benchmark's report in docs/scale.md", () => {
    it("replaces only what stands between the markers", () => {
        const doc = `intro\n${start}\nold numbers\n${end}\noutro\n`;
        const out = withReport(doc, ["teams  wall ms", "    1      420"], "Measured:");
        assert.equal(out, `intro\n${start}\n\nMeasured:\n\n\`\`\`\nteams  wall ms\n    1      420\n\`\`\`\n\n${end}\noutro\n`);
        assert.equal(withReport(out, ["x"], "Again:").split(start).length, 2);
    });

    it("refuses a document without the markers rather than losing the report", () => {
        assert.throws(() => withReport("no markers here", ["x"], "h"), /markers .* are missing/);
    });

    it("has the markers in docs/scale.md, once each", () => {
        const doc = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "scale.md"), "utf8");
        assert.equal(doc.split(start).length, 2);
        assert.equal(doc.split(end).length, 2);
    });
});
