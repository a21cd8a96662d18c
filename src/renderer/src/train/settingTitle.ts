/**
 * A setting's tooltip: what it means, when the catalogue says, and the name to change it by in the CLI
 * (`s4mi train --set name=value`), since the panel shows it in words.
 */
export function settingTitle(name: string, about: string | null): string {
  return `${about ? `${about.replace(/\.?$/, '.')} ` : ''}In the CLI: --set ${name}=…`
}
