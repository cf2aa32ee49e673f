// The 'assets' domain of the API contract. Requests are named 'assets:verb'.

export const assetsRequests = {} as const;

export const assetsEvents = {} as const;

export const assetsErrorCodes = [] as const;
