// kustomize as Flux v2 builds a repo: sigs.k8s.io/kustomize/api at the version kustomize-controller
// v1.9.4 requires (its go.mod: `sigs.k8s.io/kustomize/api v0.21.1`, the one Flux 2.9.4 runs), with
// kustomize-controller's build options (test/cluster/kustomize/main.go), built once from the Go
// module proxy into the cache, like the control plane.
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { cacheRoot } from "./upstream";

export const kustomizeApiVersion = "v0.21.1";
const source = path.join(__dirname, "kustomize");

let built: string | undefined;

/** The binary, built on first use (about two minutes cold; `prepare.ts` does it). */
export function kustomizeBinary(): string {
    if (built) {
        return built;
    }
    const dir = path.join(cacheRoot(), "kustomize", `api-${kustomizeApiVersion}`);
    const binary = path.join(dir, "kustomize");
    if (!fs.existsSync(binary)) {
        fs.mkdirSync(dir, { recursive: true });
        const partial = fs.mkdtempSync(path.join(dir, "partial-"));
        try {
            execFileSync("go", ["build", "-trimpath", "-o", path.join(partial, "kustomize"), "."], {
                cwd: source, env: { ...process.env, GOFLAGS: "-mod=mod", GOTOOLCHAIN: "local", CGO_ENABLED: "0" }, stdio: ["ignore", "ignore", "pipe"],
            });
            fs.renameSync(path.join(partial, "kustomize"), binary);
        } finally {
            fs.rmSync(partial, { recursive: true, force: true });
        }
    }
    built = binary;
    return binary;
}

/** `kustomize build` of a folder of files: the output, or the error kustomize gives. */
export function kustomizeBuild(files: Readonly<Record<string, string>>): { readonly output?: string; readonly error?: string } {
    const dir = fs.mkdtempSync(path.join(cacheRoot(), "kustomize-build-"));
    try {
        for (const [file, text] of Object.entries(files)) {
            fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
            fs.writeFileSync(path.join(dir, file), text);
        }
        const result = spawnSync(kustomizeBinary(), [dir], { encoding: "utf8" });
        return result.status === 0 ? { output: result.stdout } : { error: result.stderr.trim() };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
