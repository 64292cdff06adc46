using System.Reflection;

namespace Router.Testing;

/// <summary>
/// <c>scripts/test.sh --fast</c> runs the tests not marked <c>[Trait("Category", "Slow")]</c> and must start no
/// Redis, no PostgreSQL and no extra process. This finds the test methods that reach a type which starts one
/// (a "starter": <see cref="PostgresServer"/>, a process wrapper, a browser fixture) without that trait.
/// </summary>
/// <remarks>
/// A test reaches a starter through its class (a field, a constructor parameter such as a collection fixture)
/// or through its own body: a local variable, or a local an async method keeps across an await (a field of the
/// compiler's state machine for that method, a nested type named after it). A starter reached only inside a
/// helper method the test calls is not seen; the starters themselves are few and named by each assembly's test.
/// </remarks>
public static class SlowTraitRule
{
    private const BindingFlags Members = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    /// <summary>"Class.Method" of every test method in <paramref name="tests"/> that reaches a starter without the Slow trait.</summary>
    public static IReadOnlyList<string> UnmarkedStarters(Assembly tests, params Type[] starters)
    {
        ArgumentNullException.ThrowIfNull(tests);
        var found = new List<string>();
        foreach (var type in tests.GetTypes().Where(t => t.IsClass))
        {
            var methods = type.GetMethods(Members).Where(IsTest).ToList();
            if (methods.Count == 0) continue;

            var classReaches = ClassTypes(type).Any(t => Mentions(t, starters));
            foreach (var method in methods)
            {
                if (IsSlow(type) || IsSlow(method)) continue;
                if (classReaches || BodyTypes(type, method).Any(t => Mentions(t, starters))) found.Add($"{type.Name}.{method.Name}");
            }
        }

        return found;
    }

    /// <summary>How many test methods <see cref="UnmarkedStarters"/> found reaching a starter at all, marked or not.</summary>
    public static int Reaching(Assembly tests, params Type[] starters)
    {
        ArgumentNullException.ThrowIfNull(tests);
        return tests.GetTypes()
            .SelectMany(type => type.GetMethods(Members).Where(IsTest).Select(method => (type, method)))
            .Count(tm => ClassTypes(tm.type).Concat(BodyTypes(tm.type, tm.method)).Any(t => Mentions(t, starters)));
    }

    private static IEnumerable<Type> ClassTypes(Type type)
    {
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (var field in t.GetFields(Members)) yield return field.FieldType;
            foreach (var ctor in t.GetConstructors(Members))
            {
                foreach (var parameter in ctor.GetParameters()) yield return parameter.ParameterType;
            }
        }
    }

    private static IEnumerable<Type> BodyTypes(Type type, MethodInfo method)
    {
        foreach (var local in method.GetMethodBody()?.LocalVariables ?? []) yield return local.LocalType;

        var stateMachine = $"<{method.Name}>";
        foreach (var nested in type.GetNestedTypes(BindingFlags.NonPublic).Where(n => n.Name.StartsWith(stateMachine, StringComparison.Ordinal)))
        {
            foreach (var field in nested.GetFields(Members)) yield return field.FieldType;
        }
    }

    /// <summary>The type is a starter, or holds one (an array, a list, a task of it).</summary>
    private static bool Mentions(Type type, Type[] starters)
    {
        if (starters.Any(s => s.IsAssignableFrom(type))) return true;
        if (type.HasElementType && Mentions(type.GetElementType()!, starters)) return true;
        return type.IsGenericType && type.GetGenericArguments().Any(a => Mentions(a, starters));
    }

    private static bool IsTest(MethodInfo method) =>
        method.GetCustomAttributesData().Any(a => DerivesFrom(a.AttributeType, "Xunit.FactAttribute"));

    private static bool IsSlow(MemberInfo member) =>
        member.GetCustomAttributesData().Any(a => a.AttributeType.FullName == "Xunit.TraitAttribute"
            && a.ConstructorArguments.Select(c => c.Value as string).SequenceEqual(["Category", "Slow"]));

    private static bool DerivesFrom(Type? type, string fullName)
    {
        for (; type is not null; type = type.BaseType)
        {
            if (type.FullName == fullName) return true;
        }

        return false;
    }
}
