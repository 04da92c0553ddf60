// One line of `npm start`'s banner: the label in a column wide enough for the longest one.
export const bannerRow = (label: string, value: string): string => `  ${label.padEnd(22)} ${value}`;
