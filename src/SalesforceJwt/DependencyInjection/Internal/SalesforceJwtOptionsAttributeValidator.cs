using Microsoft.Extensions.Options;

namespace SalesforceJwt.DependencyInjection.Internal;

/// <summary>Validates the DataAnnotations on <see cref="SalesforceJwtOptions"/>, generated at compile time.</summary>
[OptionsValidator]
internal sealed partial class SalesforceJwtOptionsAttributeValidator : IValidateOptions<SalesforceJwtOptions>;
