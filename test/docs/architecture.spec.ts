// The shape docs/architecture.md promises: data flows one way (config → platform → engines and
// add-ons → resources), so every folder imports only its own files and folders of a lower layer,
// never a sibling of its own layer, and nothing imports in a circle. The benchmark uses the test
// kit and the cluster tier's tools only (its control plane, to apply the stack), and the policy
// pack, a package of its own, none of the program.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";

const root = path.join(__dirname, "..", "..");

/** Highest first. A folder not listed belongs to the listed folder that contains it. */
export const layers: readonly (readonly string[])[] = [
    ["index.ts"],
    ["config"],
    ["components/platform"],
    ["components/engines/registry.ts", "components/addons/registry.ts"],
    ["components/engines/flux1", "components/engines/flux2", "components/addons/flagger", "components/addons/gatekeeper", "components/fence", "components/github"],
    ["components/shared"],
    ["runtime"],
];

function sourceFiles(dir: string): string[] {
    return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
        const rel = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            return entry.name === "node_modules" ? [] : sourceFiles(rel);
        }
        return rel.endsWith(".ts") ? [rel] : [];
    });
}

function importsOf(file: string): string[] {
    const text = fs.readFileSync(path.join(root, file), "utf8");
    const specs = [...text.matchAll(/(?:from\s+|import\s+|require\()["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1]);
    return specs.map((spec) => {
        const target = path.normalize(path.join(path.dirname(file), spec));
        return fs.existsSync(path.join(root, `${target}.ts`)) ? `${target}.ts` : target;
    });
}

/** The layer and the folder (the listed unit) a file belongs to. */
function placeOf(file: string): { layer: number; unit: string } | undefined {
    for (const [layer, units] of layers.entries()) {
        for (const unit of units) {
            if (file === unit || file.startsWith(`${unit}/`)) {
                return { layer, unit };
            }
        }
    }
    return undefined;
}

const programFiles = ["index.ts", ...["config", "components", "runtime"].flatMap(sourceFiles)];

describe("the program's shape (docs/architecture.md)", () => {
    it("puts every source file in a layer", () => {
        assert.deepEqual(programFiles.filter((file) => !placeOf(file)), []);
    });

    it("imports only within a folder or downwards, never a sibling or upwards", () => {
        const wrong: string[] = [];
        for (const file of programFiles) {
            const from = placeOf(file)!;
            for (const target of importsOf(file)) {
                const to = placeOf(target);
                if (!to) {
                    wrong.push(`${file} imports ${target}, which is outside the program`);
                } else if (to.unit !== from.unit && to.layer <= from.layer) {
                    wrong.push(`${file} (layer ${from.layer}) imports ${target} (layer ${to.layer})`);
                }
            }
        }
        assert.deepEqual(wrong, []);
    });

    it("has no import cycle among files", () => {
        const graph = new Map(programFiles.map((file) => [file, importsOf(file)]));
        const state = new Map<string, "open" | "done">();
        const cycles: string[] = [];
        const visit = (file: string, trail: string[]) => {
            if (state.get(file) === "done") {
                return;
            }
            if (state.get(file) === "open") {
                cycles.push([...trail.slice(trail.indexOf(file)), file].join(" → "));
                return;
            }
            state.set(file, "open");
            for (const next of graph.get(file) ?? []) {
                visit(next, [...trail, file]);
            }
            state.set(file, "done");
        };
        programFiles.forEach((file) => visit(file, []));
        assert.deepEqual(cycles, []);
    });

    it("lets the benchmark use the program, the test kit and the cluster tier's tools, not the specs or their harness", () => {
        const tool = (target: string) => target.startsWith("test/kit/") || (target.startsWith("test/cluster/") && !target.endsWith(".spec.ts"));
        const wrong = sourceFiles("bench").flatMap((file) => importsOf(file)
            .filter((target) => target.startsWith("test/") && !tool(target))
            .map((target) => `${file} imports ${target}`));
        assert.deepEqual(wrong, []);
    });

    it("lets the platform core reach an engine or add-on only through its registry and contract, never its folder", () => {
        // settings.ts names the types config hands over, which belong to each folder.
        const core = sourceFiles("components/platform").filter((file) => !file.endsWith("settings.ts"));
        assert.ok(core.length >= 3, core.join(", "));
        const wrong = core.flatMap((file) => importsOf(file)
            .filter((target) => /^components\/(engines|addons)\/[^/]+\//.test(target))
            .map((target) => `${file} imports ${target}`));
        assert.deepEqual(wrong, []);
    });

    it("keeps the policy pack apart from the program", () => {
        const wrong = sourceFiles("policy").flatMap((file) => importsOf(file)
            .filter((target) => !target.startsWith("policy/"))
            .map((target) => `${file} imports ${target}`));
        assert.deepEqual(wrong, []);
    });

    it("lists the same layers in docs/architecture.md, in the same order", () => {
        const doc = fs.readFileSync(path.join(root, "docs", "architecture.md"), "utf8");
        const positions = layers.flat().map((unit) => doc.indexOf(`\`${unit}${unit.endsWith(".ts") ? "" : "/"}\``));
        assert.ok(positions.every((p) => p >= 0), `not in the doc: ${layers.flat().filter((_, i) => positions[i] < 0).join(", ")}`);
        assert.deepEqual(positions, [...positions].sort((a, b) => a - b));
    });
});
