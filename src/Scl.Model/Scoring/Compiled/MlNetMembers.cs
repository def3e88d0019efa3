using System.Reflection;

namespace MailGateway.Scl.Model.Scoring.Compiled;

/// <summary>
/// Reads a setting a loaded ML.NET transformer keeps in a field or property ML.NET does not make public (hash bits,
/// seeds, separators, normalizer flags: they are in the saved model, and the loaded transformer holds them). Throws
/// <see cref="MissingMemberException"/> when an ML.NET version names it differently, so the caller keeps ML.NET's
/// own featurizer instead of guessing.
/// </summary>
internal static class MlNetMembers
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    public static T Read<T>(object owner, string name)
    {
        for (var type = owner.GetType(); type is not null; type = type.BaseType)
        {
            var field = type.GetField(name, Instance | BindingFlags.DeclaredOnly);
            if (field is not null && field.GetValue(owner) is T fieldValue)
            {
                return fieldValue;
            }

            var property = type.GetProperty(name, Instance | BindingFlags.DeclaredOnly);
            if (property is not null && property.GetIndexParameters().Length == 0 && property.GetValue(owner) is T propertyValue)
            {
                return propertyValue;
            }
        }

        throw new MissingMemberException(owner.GetType().FullName, name);
    }
}
