// `npm run check`: every stack file of the project (Pulumi.<stack>.yaml), and of each example project
// under examples/, with its project's config (Pulumi.yaml `config:`), run through the program as
// `pulumi up` would run it, under Pulumi's mocks, with no cluster, backend, token or passphrase:
// its config problems listed as `pulumi up` would list them, or what it would create, per team and
// shared. A value set with --secret (`secure:` in the file) cannot be decrypted here; it stands in
// as a secret placeholder shaped like a Slack webhook, so every other check still runs.
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { Created, runProgram } from "../test/kit/harness";

const root = path.join(__dirname, "..");
const placeholder = "https://hooks.slack.com/services/T00000000/B00000000/placeholder";

/**
 * A project's config (Pulumi.yaml `config:`) as the CLI adds it to each stack's: a key's `value`
 * (or `default`), or the value itself in the short form; a key without a namespace is the
 * project's (pulumi v3.248.0 sdk/go/common/workspace/config.go, mergeConfig).
 */
export function projectConfig(projectFile: string): Record<string, unknown> {
    const project = parse(fs.readFileSync(projectFile, "utf8")) as { name: string; config?: Record<string, unknown> };
    return Object.fromEntries(Object.entries(project.config ?? {}).map(([key, declared]): [string, unknown] => {
        const full = key.includes(":") ? key : `${project.name}:${key}`;
        const isDeclaration = typeof declared === "object" && declared !== null && !Array.isArray(declared);
        const value = isDeclaration ? (declared as { value?: unknown; default?: unknown }).value ??
            (declared as { default?: unknown }).default : declared;
        return [full, value];
    }).filter(([, value]) => value !== undefined));
}

/**
 * A stack file's config as the program receives it, and the keys Pulumi would hand it as secrets:
 * the project's config, each key the stack file sets replacing it whole.
 */
export function stackConfig(file: string, project: Record<string, unknown> = {}): { config: Record<string, unknown>; secretKeys: string[] } {
    const config = { ...project, ...(parse(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null)?.config ?? {} };
    const secretKeys: string[] = [];
    const decrypted = (value: unknown, key: string): unknown => {
        if (value && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 1 && "secure" in value) {
            if (!secretKeys.includes(key)) secretKeys.push(key);
            return placeholder;
        }
        if (Array.isArray(value)) return value.map((v) => decrypted(v, key));
        if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decrypted(v, key)]));
        return value;
    };
    return { config: Object.fromEntries(Object.entries(config).map(([key, value]) => [key, decrypted(value, key)])), secretKeys };
}

/** What a run would create: per team (by the program's `platform-team-<name>-` names) and shared, Kubernetes and GitHub apart. */
export function summary(resources: readonly Created[], teams: readonly string[]): string[] {
    const owner = (r: Created) => teams.find((t) => r.name.startsWith(`platform-team-${t}-`)) ?? "shared";
    const kind = (r: Created) => r.type.startsWith("kubernetes:") ? "Kubernetes" : r.type.startsWith("github:") ? "GitHub" : undefined;
    const lines: string[] = [];
    for (const who of ["shared", ...teams]) {
        const mine = resources.filter((r) => owner(r) === who && kind(r) !== undefined);
        const count = (k: string, read = false) => mine.filter((r) => kind(r) === k && (r.read ?? false) === read).length;
        const used = count("GitHub", true) > 0 ? ` (and ${count("GitHub", true)} used, owned by another stack)` : "";
        if (who !== "shared" && mine.length === 0) {
            lines.push(`  team ${who}: not on this cluster`);
            continue;
        }
        lines.push(`  ${who === "shared" ? "shared" : `team ${who}`}: ${count("Kubernetes")} Kubernetes objects, ${count("GitHub")} GitHub objects${used}`);
    }
    return lines;
}

/** The stack files of the project and of each example project, each with its project's config. */
export function projects(): { dir: string; files: string[]; project: Record<string, unknown> }[] {
    const examples = path.join(root, "examples");
    const dirs = [root, ...fs.existsSync(examples)
        ? fs.readdirSync(examples).map((d) => path.join(examples, d)).filter((d) => fs.existsSync(path.join(d, "Pulumi.yaml"))).sort()
        : []];
    return dirs.map((dir) => ({
        dir,
        files: fs.readdirSync(dir).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f)).sort(),
        project: projectConfig(path.join(dir, "Pulumi.yaml")),
    }));
}

async function main(): Promise<void> {
    const files = projects().flatMap(({ dir, files: stacks, project }) => stacks.map((f) => ({ file: path.relative(root, path.join(dir, f)), project })));
    let failed = 0;
    for (const { file, project } of files) {
        const { config, secretKeys } = stackConfig(path.join(root, file), project);
        const run = await runProgram(config, secretKeys);
        if (run.error) {
            failed++;
            console.log(`${file}: refused\n${run.error.message}\n`);
            continue;
        }
        const teams = ((config["platform:teams"] ?? []) as { name: string }[]).map((t) => t.name);
        console.log(`${file}: ${run.recording.resources.length} resources`);
        summary(run.recording.resources, teams).forEach((line) => console.log(line));
        run.recording.logs.filter((l) => l.startsWith("warning:")).forEach((l) => console.log(`  ${l}`));
        console.log("");
    }
    console.log(`${files.length} stack files checked, ${failed} refused`);
    process.exitCode = failed > 0 ? 1 : 0;
}

if (require.main === module) {
    main().catch((e) => {
        console.error(e);
        process.exit(1);
    });
}
