// `npm run bench`: measures the program under Pulumi's mocks at 1, 10, 100, 500 and 1,000 teams
// against the SDK's own floor, prints the table, the cluster footprint, what each engine's teams
// cost GitHub and the cluster (githubBudget.ts), whether each target is met, and a small program's
// start-up with and without type-checking.
// The program and the first floor are measured twice: with the runtime as index.ts sets it (the
// SDK's promise stacks not formatted), which the targets are checked on, and once with the SDK as
// it comes, for comparison. The floor is also measured registered the way the program builds its
// teams, one team's resources per turn of the event loop, with and without the program's inputs.
// Each timed figure of the first kind is a median of several runs taken in rounds.
// Then the 1,000-team stack is applied to a real API server (serverApply.ts), reported in a block of
// its own; `BENCH_ONLY=server npm run bench` measures and writes only that.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse as parseYaml } from "yaml";

import { kubernetesVersions } from "../components/shared/versions";
import { BenchEngine, teamName } from "./benchConfig";
import { PodRequest } from "./footprint";
import { githubLimits, onboardHours, refreshHours, stackTotals, totals, Totals } from "./githubBudget";
import { writeReport } from "./report";
import { ServerApply, serverLines, writeServerReport } from "./serverReport";

interface Measurement {
    readonly teams: number;
    readonly wallMs: number;
    readonly peakRssMb: number;
    /** Heap left once everything is registered and collected. */
    readonly retainedMb: number;
    readonly resources: number;
    readonly longestChain: number;
    /** Registrations by type: the first team's, and the stack's shared ones. */
    readonly firstTeam: Readonly<Record<string, number>>;
    readonly shared: Readonly<Record<string, number>>;
    readonly pods: readonly PodRequest[];
}

const sizes = (process.env.BENCH_SIZES ?? "1,10,100,500,1000").split(",").map(Number);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "platform-bench-"));

// Pulumi runs a TypeScript program through ts-node; measure it the same way.
function measure(args: string[], asShipped = false): Measurement {
    const env = { ...process.env };
    delete env.PULUMI_DEBUG_PROMISE_LEAKS;
    if (asShipped) {
        env.PULUMI_DEBUG_PROMISE_LEAKS = "1";
        args = [...args, "--as-shipped"];
    }
    const out = execFileSync(process.execPath, ["--expose-gc", "-r", "ts-node/register/transpile-only", path.join(__dirname, "measure.ts"), ...args],
        { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, cwd: path.join(__dirname, ".."), env });
    return JSON.parse(out) as Measurement;
}

/** Runs on one machine vary by several percent: each timed figure is the median of this many runs. */
const runsPerFigure = Number(process.env.BENCH_RUNS ?? 5);

function median<T>(runs: readonly T[], ms: (run: T) => number): T {
    return [...runs].sort((a, b) => ms(a) - ms(b))[Math.floor(runs.length / 2)];
}

/** The run whose wall time is the median of `runsPerFigure` runs. */
function measureMedian(args: string[]): Measurement {
    return median(Array.from({ length: runsPerFigure }, () => measure(args)), (m) => m.wallMs);
}

/**
 * The median run of each of several measurements, taken in rounds (one run of each per round), so
 * that the machine slowing down or speeding up during the benchmark weighs on all of them alike.
 */
function measureInRounds<K extends string>(argsByKind: Record<K, string[]>): Record<K, Measurement> {
    const kinds = Object.keys(argsByKind) as K[];
    const rounds = Array.from({ length: runsPerFigure }, () => kinds.map((kind) => measure(argsByKind[kind])));
    return Object.fromEntries(kinds.map((kind, i) => [kind, median(rounds.map((round) => round[i]), (m) => m.wallMs)])) as Record<K, Measurement>;
}

function pad(cells: Array<string | number>, widths: number[]): string {
    return cells.map((c, i) => String(c).padStart(widths[i])).join("  ");
}

interface Row {
    readonly program: Measurement;
    /** Trivial resources, all registered at once: the SDK's floor as the targets use it. */
    readonly floor: Measurement;
    /** The same, one team's resources per turn, as the program builds its teams. */
    readonly floorInTurns: Measurement;
    /** The same registrations with the program's inputs, as plain values, one team per turn. */
    readonly withInputs: Measurement;
    readonly shipped: { readonly program: Measurement; readonly floor: Measurement };
}

// Everything printed is also what docs/scale.md shows, written there after a full run.
const report: string[] = [];
function say(line: string): void {
    console.log(line);
    report.push(...line.split("\n"));
}

const doc = path.join(__dirname, "..", "docs", "scale.md");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdk = (require("@pulumi/pulumi/package.json") as { version: string }).version;
const measuredBy = (command: string, also = "") => `Measured by \`${command}\` on ${new Date().toISOString().slice(0, 10)} ` +
    `(${os.cpus().length} cores, Node ${process.version}, @pulumi/pulumi ${sdk}${also}):`;

/**
 * The stack of `serverTeams` teams applied to a real API server, in a process of its own, from its
 * recording (`measure.ts --shapes`): printed, and the lines returned. `serverParallel` resources at
 * a time: the client's 16 connections (test/cluster/apiClient.ts) each carry one request at a time.
 */
const serverTeams = 1000;
const serverParallel = 16;
function measureServer(shapes: string): string[] {
    const out = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(__dirname, "serverApply.ts"),
        "--shapes", shapes, "--teams", String(serverTeams), "--parallel", String(serverParallel)],
    { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, cwd: path.join(__dirname, ".."), stdio: ["ignore", "pipe", "inherit"] });
    const { lines } = serverLines(JSON.parse(out) as ServerApply);
    console.log(`\n${lines.join("\n")}`);
    return lines;
}
const serverHeading = (command: string) => measuredBy(command, `, Kubernetes ${kubernetesVersions.newest}`);

if (process.env.BENCH_ONLY === "server") {
    const shapes = path.join(tmp, `shapes-${serverTeams}.json`);
    measure(["--teams", String(serverTeams), "--shapes", shapes]);
    writeServerReport(doc, measureServer(shapes), serverHeading("BENCH_ONLY=server npm run bench"));
    fs.rmSync(tmp, { recursive: true, force: true });
    console.log(`\nWritten to ${path.relative(process.cwd(), doc)}.`);
    process.exit(0);
}

const rows: Row[] = [];
for (const teams of sizes) {
    const shapes = path.join(tmp, `shapes-${teams}.json`);
    // Recorded in a run of its own: recording is the benchmark's work, not the program's.
    measure(["--teams", String(teams), "--shapes", shapes]);
    rows.push({
        ...measureInRounds({
            program: ["--teams", String(teams)],
            floor: ["--floor", shapes],
            floorInTurns: ["--floor", shapes, "--in-turns"],
            withInputs: ["--floor", shapes, "--in-turns", "--with-inputs"],
        }),
        shipped: { program: measure(["--teams", String(teams)], true), floor: measure(["--floor", shapes], true) },
    });
}

// A full run also applies the largest stack to a real API server, from the recording it made.
const serverReport = process.env.BENCH_SIZES === undefined ? measureServer(path.join(tmp, `shapes-${serverTeams}.json`)) : undefined;

const widths = [6, 9, 8, 8, 10, 9, 8, 6, 9, 6, 9, 6, 10, 6, 3, 9, 8, 9, 6];
say(`Program under Pulumi's mocks, Node ${process.version}, ${os.cpus().length} cores`);
say(`${" ".repeat(widths.slice(0, 15).reduce((a, b) => a + b + 2, 0))}with the SDK as it comes`);
say(pad(["teams", "wall ms", "peak MB", "heap MB", "resources", "res/team", "ms/team", "chain", "floor ms", "ratio",
    "turns ms", "ratio", "inputs ms", "ratio", "|", "wall ms", "peak MB", "floor ms", "ratio"], widths));
for (const { program, floor, floorInTurns, withInputs, shipped } of rows) {
    say(pad([
        program.teams,
        program.wallMs.toFixed(0),
        program.peakRssMb.toFixed(0),
        program.retainedMb.toFixed(0),
        program.resources,
        (program.resources / program.teams).toFixed(1),
        (program.wallMs / program.teams).toFixed(1),
        program.longestChain,
        floor.wallMs.toFixed(0),
        (program.wallMs / floor.wallMs).toFixed(2),
        floorInTurns.wallMs.toFixed(0),
        (program.wallMs / floorInTurns.wallMs).toFixed(2),
        withInputs.wallMs.toFixed(0),
        (program.wallMs / withInputs.wallMs).toFixed(2),
        "|",
        shipped.program.wallMs.toFixed(0),
        shipped.program.peakRssMb.toFixed(0),
        shipped.floor.wallMs.toFixed(0),
        (shipped.program.wallMs / shipped.floor.wallMs).toFixed(2),
    ], widths));
}

// The cost of one more team: the slope between consecutive sizes, fixed costs cancelled out.
// Memory is the heap left after the run: peak RSS moves in the collector's steps, by more than a
// few teams' worth between runs.
say("\nMarginal cost of a team (between consecutive sizes)");
say(pad(["from", "to", "ms/team", "MB/team", "res/team"], [6, 6, 9, 9, 9]));
const slopes: Array<{ ms: number; mb: number; res: number; from: number }> = [];
for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1].program;
    const b = rows[i].program;
    const n = b.teams - a.teams;
    const slope = { from: a.teams, ms: (b.wallMs - a.wallMs) / n, mb: (b.retainedMb - a.retainedMb) / n, res: (b.resources - a.resources) / n };
    slopes.push(slope);
    say(pad([a.teams, b.teams, slope.ms.toFixed(2), slope.mb.toFixed(2), slope.res.toFixed(1)], [6, 6, 9, 9, 9]));
}

const largest = rows[rows.length - 1].program;
const firstTeam = teamName(0);
const teamNamespaces = new Set(Array.from({ length: largest.teams }, (_, i) => teamName(i)));
const sum = (pods: readonly PodRequest[]) => pods.reduce((t, p) => ({ cpu: t.cpu + p.cpuMilli, mem: t.mem + p.memoryMi }), { cpu: 0, mem: 0 });
const teamPods = largest.pods.filter((p) => p.namespace === firstTeam);
const sharedPods = largest.pods.filter((p) => !teamNamespaces.has(p.namespace));
const perTeam = sum(teamPods);
const shared = sum(sharedPods);
say("\nCluster footprint (pod requests)");
for (const p of [...sharedPods, ...teamPods]) {
    const where = teamNamespaces.has(p.namespace) ? "per team" : "shared  ";
    say(`  ${where}  ${`${p.namespace}/${p.pod}`.padEnd(52)} ${String(p.cpuMilli).padStart(5)}m ${String(p.memoryMi).padStart(6)}Mi`);
}
say(`  per team:  ${perTeam.cpu}m CPU, ${perTeam.mem}Mi memory`);
say(`  shared:    ${shared.cpu}m CPU, ${shared.mem}Mi memory`);
say(`  ${largest.teams} teams: ${((shared.cpu + perTeam.cpu * largest.teams) / 1000).toFixed(2)} CPU, ` +
    `${((shared.mem + perTeam.mem * largest.teams) / 1024).toFixed(1)}Gi memory`);

const checks: Array<[string, boolean]> = [];
const tenTo = slopes.filter((s) => s.from >= 10);
if (tenTo.length >= 1) {
    const first = slopes.find((s) => s.from >= 10)!;
    const last = slopes[slopes.length - 1];
    checks.push([`time per team flat from 10 teams up (marginal ${first.ms.toFixed(1)} -> ${last.ms.toFixed(1)} ms/team, within 25%)`,
        last.ms <= first.ms * 1.25]);
    checks.push([`memory per team flat from 10 teams up (marginal heap ${first.mb.toFixed(2)} -> ${last.mb.toFixed(2)} MB/team, within 25%)`,
        last.mb <= first.mb * 1.25]);
}
// Like with like: the floor given the program's own schedule, one team per turn.
const ratio = largest.wallMs / rows[rows.length - 1].floorInTurns.wallMs;
checks.push([`program / floor one team per turn at ${largest.teams} teams at most 1.3 (${ratio.toFixed(2)}; registering the same ` +
    `inputs alone takes ${(rows[rows.length - 1].withInputs.wallMs / rows[rows.length - 1].floorInTurns.wallMs).toFixed(2)})`, ratio <= 1.3]);
checks.push([`longest dependency chain the same at every size (${rows.map((r) => r.program.longestChain).join(", ")})`,
    new Set(rows.map((r) => r.program.longestChain)).size === 1]);
checks.push([`${largest.teams} teams under 1 GiB (peak RSS ${largest.peakRssMb.toFixed(0)} MB)`, largest.peakRssMb < 1024]);
const teamFlux = sum(teamPods.filter((p) => p.pod === "flux"));
checks.push([`per-team Flux at or below the seed's 50m CPU / 64Mi (${teamFlux.cpu}m / ${teamFlux.mem}Mi)`, teamFlux.cpu <= 50 && teamFlux.mem <= 64]);
// What a team costs GitHub and the cluster, per engine, from a stack of each engine's own.
const budgetTeams = 10;
const engines: BenchEngine[] = ["flux1", "flux2"];
const budgets = engines.map((engine) => {
    const m = measure(["--teams", String(budgetTeams), "--engine", engine]);
    const kubernetes = (byType: Readonly<Record<string, number>>) =>
        Object.entries(byType).filter(([type]) => type.startsWith("kubernetes:")).reduce((n, [, c]) => n + c, 0);
    const inTeam = m.pods.filter((p) => p.namespace === teamName(0));
    const names = new Set(Array.from({ length: budgetTeams }, (_, i) => teamName(i)));
    return {
        engine, perTeam: totals(m.firstTeam), shared: totals(m.shared),
        k8sPerTeam: kubernetes(m.firstTeam), podsPerTeam: inTeam.length, teamRequests: sum(inTeam),
        sharedRequests: sum(m.pods.filter((p) => !names.has(p.namespace))),
    };
});
say(`\nGitHub and the cluster, per engine (counted from the registrations of a ${budgetTeams}-team stack of each)`);
say(`Limits assumed: ${githubLimits.tokenPerHour.toLocaleString("en")} requests/h per token, ` +
    `${githubLimits.enterpriseAppPerHour.toLocaleString("en")} for a GitHub App on Enterprise Cloud, ` +
    `${githubLimits.concurrent} concurrent, ${githubLimits.contentCreatingPerMinute} content-creating/min and ` +
    `${githubLimits.contentCreatingPerHour}/h; the provider's default ${githubLimits.writeDelayMs} ms between writes ` +
    "(docs.github.com \"Rate limits for the REST API\"; docs/github.md)");
const bw = [7, 12, 13, 13, 13, 13, 14, 10, 9, 16, 14];
say(pad(["engine", "GitHub/team", "content/team", "requests/team", "reads/team", "shared GitHub", "shared content",
    "k8s/team", "pods/team", "team requests", "shared requests"], bw));
for (const b of budgets) {
    say(pad([b.engine, b.perTeam.objects, b.perTeam.contentCreating, b.perTeam.create, b.perTeam.refresh, b.shared.objects,
        b.shared.contentCreating, b.k8sPerTeam, b.podsPerTeam, `${b.teamRequests.cpu}m/${b.teamRequests.mem}Mi`,
        `${b.sharedRequests.cpu}m/${b.sharedRequests.mem}Mi`], bw));
}
const hw = [7, 6, 10, 10, 10, 11, 11, 10];
say("\nHours on GitHub: onboarding every team in one `pulumi up`, and the primary limit one refresh spends");
say(pad(["engine", "teams", "content", "onboard h", "onboard h", "refresh", "refresh h", "refresh h"], hw));
say(pad(["", "", "requests", "token", "App", "reads", "token", "App"], hw));
const onboard = (t: Totals) => [onboardHours(t, githubLimits.tokenPerHour), onboardHours(t, githubLimits.enterpriseAppPerHour)];
for (const b of budgets) {
    for (const teams of [1, 10, 100, 500, 1000]) {
        const t = stackTotals(b.shared, b.perTeam, teams);
        const [token, app] = onboard(t);
        say(pad([b.engine, teams, t.contentCreating, token.toFixed(2), app.toFixed(2), t.refresh,
            refreshHours(t, githubLimits.tokenPerHour).toFixed(2), refreshHours(t, githubLimits.enterpriseAppPerHour).toFixed(2)], hw));
    }
}
for (const b of budgets) {
    checks.push([`${b.engine}: a created team is at most 3 GitHub objects and 1 content-creating request ` +
        `(${b.perTeam.objects}, ${b.perTeam.contentCreating})`, b.perTeam.objects <= 3 && b.perTeam.contentCreating <= 1]);
}

say("\nTargets");
for (const [text, ok] of checks) {
    say(`  ${ok ? "met    " : "MISSED "} ${text}`);
}
// Start-up as Pulumi starts the program: ts-node registered with the project Pulumi.yaml names and
// transpile-only as that file's own noCheck says (@pulumi/pulumi cmd/run/run.js, tsutils.js),
// against Pulumi's default, tsconfig.json, which type-checks. The whole process, timed from outside:
// the type check happens while the code loads.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tsutils = require("@pulumi/pulumi/tsutils") as { loadTypeScriptCompilerOptions(file: string): { noCheck?: boolean } };
const startupTeams = 10;
function startupMs(tsconfig: string): number {
    const env: NodeJS.ProcessEnv = {
        ...process.env, TS_NODE_PROJECT: tsconfig, TS_NODE_TRANSPILE_ONLY: String(tsutils.loadTypeScriptCompilerOptions(tsconfig).noCheck === true),
    };
    delete env.PULUMI_DEBUG_PROMISE_LEAKS;
    const times = Array.from({ length: runsPerFigure }, () => {
        const start = process.hrtime.bigint();
        execFileSync(process.execPath, ["-r", "ts-node/register", path.join(__dirname, "measure.ts"), "--teams", String(startupTeams)],
            { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, cwd: path.join(__dirname, ".."), env });
        return Number(process.hrtime.bigint() - start) / 1e6;
    }).sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)];
}
const pulumiProject = parseYaml(fs.readFileSync(path.join(__dirname, "..", "Pulumi.yaml"), "utf8")) as { runtime: { options?: { tsconfig?: string } } };
const pulumiYamlTsconfig = pulumiProject.runtime.options?.tsconfig ?? "tsconfig.json";
const typeChecked = startupMs("tsconfig.json");
const asConfigured = startupMs(pulumiYamlTsconfig);
say(`\nStart-up of a ${startupTeams}-team program as Pulumi starts it (the whole Node process, ts-node included)`);
say(`  type-checked, as Pulumi does by default (tsconfig.json)  ${(typeChecked / 1000).toFixed(2)} s`);
say(`  as Pulumi.yaml has it run (${pulumiYamlTsconfig})  ${(asConfigured / 1000).toFixed(2)} s`);

const last = rows[rows.length - 1];
// Loading the program's code is the same at every size: measured once, on its own.
const loadMs = measureMedian(["--load"]).wallMs;
const inputsRatio = last.withInputs.wallMs / last.floorInTurns.wallMs;
say(`\nAt ${largest.teams} teams, against the floor registered one team per turn as the program does (the headline), the ` +
    `program takes ${(largest.wallMs / last.floorInTurns.wallMs).toFixed(2)} times as long. Registering the same objects with ` +
    `the program's inputs as plain values takes ${inputsRatio.toFixed(2)} times the floor: no program that registers ` +
    `these objects can take less. The program takes ${(largest.wallMs / last.withInputs.wallMs).toFixed(2)} times that: ` +
    `${loadMs.toFixed(0)} ms loading its code (through ts-node), the rest its logic and the outputs flowing between resources.`);
fs.rmSync(tmp, { recursive: true, force: true });

// Only a run of every size stands for the program; a partial one (BENCH_SIZES) only prints.
if (serverReport !== undefined) {
    writeReport(doc, report.filter((line, i) => i > 0 || line !== ""), measuredBy("npm run bench"));
    writeServerReport(doc, serverReport, serverHeading("npm run bench"));
    console.log(`\nWritten to ${path.relative(process.cwd(), doc)}.`);
}
