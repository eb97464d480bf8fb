export async function runCommand(_argv: string[]): Promise<number> {
  return 2;
}
