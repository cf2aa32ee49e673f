// The 'obs' domain of the API contract. Requests are named 'obs:verb'.

export const obsRequests = {} as const;

export const obsEvents = {} as const;

export const obsErrorCodes = [] as const;
