// The 'sales' domain of the API contract. Requests are named 'sales:verb'.

export const salesRequests = {} as const;

export const salesEvents = {} as const;

export const salesErrorCodes = [] as const;
