// Collects every config problem so the user sees them all in one run instead of one per
// `pulumi up`. Keys are spelled as the user types them: `platform:teams[0].branch`.

export class Problems {
    private readonly messages: string[] = [];

    add(key: string, message: string): void {
        this.messages.push(`${key}: ${message}`);
    }

    get all(): readonly string[] {
        return this.messages;
    }
}

/** A value as it should appear in an error message: JSON, cut short. */
export function show(value: unknown): string {
    const text = value === undefined ? "nothing" : JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The known key closest to a mistyped one, if it is close enough to be a typo. */
export function closest(key: string, known: readonly string[]): string | undefined {
    let best: string | undefined;
    let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
    for (const candidate of known) {
        const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
        if (d < bestDistance) {
            best = candidate;
            bestDistance = d;
        }
    }
    return best;
}

// Damerau–Levenshtein (optimal string alignment), so a swap such as brnach → branch counts once.
export function editDistance(a: string, b: string): number {
    const d: number[][] = [];
    for (let i = 0; i <= a.length; i++) {
        d.push([i]);
    }
    for (let j = 1; j <= b.length; j++) {
        d[0][j] = j;
    }
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
                d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[a.length][b.length];
}
