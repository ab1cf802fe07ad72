using SalesforceJwt.Tool;

return await DoctorCommand.RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariables()).ConfigureAwait(false);
