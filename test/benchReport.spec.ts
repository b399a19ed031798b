import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { reportEnd, reportStart, withReport } from "../bench/report";

describe("the benchmark's report in docs/scale.md", () => {
    it("replaces only what stands between the markers", () => {
        const doc = `intro\n${reportStart}\nold numbers\n${reportEnd}\noutro\n`;
        const out = withReport(doc, ["teams  wall ms", "    1      420"], "Measured:");
        assert.equal(out, `intro\n${reportStart}\n\nMeasured:\n\n\`\`\`\nteams  wall ms\n    1      420\n\`\`\`\n\n${reportEnd}\noutro\n`);
        assert.equal(withReport(out, ["x"], "Again:").split(reportStart).length, 2);
    });

    it("refuses a document without the markers rather than losing the report", () => {
        assert.throws(() => withReport("no markers here", ["x"], "h"), /markers .* are missing/);
    });

    it("has the markers in docs/scale.md, once each", () => {
        const doc = fs.readFileSync(path.join(__dirname, "..", "docs", "scale.md"), "utf8");
        assert.equal(doc.split(reportStart).length, 2);
        assert.equal(doc.split(reportEnd).length, 2);
    });
});
