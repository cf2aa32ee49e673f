// The 'show' domain of the API contract. Requests are named 'show:verb'.

export const showRequests = {} as const;

export const showEvents = {} as const;

export const showErrorCodes = [] as const;
