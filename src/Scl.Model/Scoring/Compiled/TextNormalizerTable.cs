using Microsoft.ML;
using Microsoft.ML.Data;

namespace MailGateway.Scl.Model.Scoring.Compiled;

/// <summary>
/// What one of the model's ML.NET text normalizers (<c>NormalizeText</c>) does to each UTF-16 code unit: drop it or
/// replace it by one code unit. ML.NET's <c>TextNormalizingTransformer</c> decides unit by unit (punctuation and numbers
/// by <c>char.IsPunctuation</c>/<c>char.IsNumber</c>, combining diacritics by range, letters with diacritics by a fixed
/// table, case by <c>char.ToLowerInvariant</c>), never looking at neighbours, so a table of all 65,536 units is the
/// whole normalizer. The table is not rebuilt from those rules here but read off the loaded transformer itself: every
/// code unit is normalised once, as its own row, so whatever options and version the model was saved with are what
/// the table says.
/// </summary>
internal sealed class TextNormalizerTable
{
    /// <summary>Marks a dropped code unit in the table.</summary>
    private const int Dropped = -1;

    private readonly int[] _map;

    private TextNormalizerTable(int[] map) => _map = map;

    /// <summary>Normalises <paramref name="text"/> into <paramref name="output"/> (as long as the text at least).</summary>
    /// <returns>The number of code units written.</returns>
    public int Normalize(ReadOnlySpan<char> text, Span<char> output)
    {
        var map = _map;
        var n = 0;
        foreach (var c in text)
        {
            var mapped = map[c];
            if (mapped != Dropped)
            {
                output[n++] = (char)mapped;
            }
        }

        return n;
    }

    /// <summary>
    /// Reads the table off <paramref name="normalizer"/> (a fitted <c>TextNormalizingTransformer</c> with one column):
    /// null when any code unit comes out as more than one unit, which this table cannot express.
    /// </summary>
    public static TextNormalizerTable? Probe(MLContext ml, ITransformer normalizer, string inputColumn, string outputColumn)
    {
        var rows = new ProbeRow[char.MaxValue + 1];
        for (var c = 0; c <= char.MaxValue; c++)
        {
            rows[c] = new ProbeRow { Text = ((char)c).ToString() };
        }

        var definition = SchemaDefinition.Create(typeof(ProbeRow));
        definition[nameof(ProbeRow.Text)].ColumnName = inputColumn;
        var output = normalizer.Transform(ml.Data.LoadFromEnumerable(rows, definition));
        var map = new int[char.MaxValue + 1];
        var i = 0;
        using (var cursor = output.GetRowCursor([output.Schema[outputColumn]]))
        {
            var getter = cursor.GetGetter<ReadOnlyMemory<char>>(output.Schema[outputColumn]);
            var value = default(ReadOnlyMemory<char>);
            while (cursor.MoveNext())
            {
                getter(ref value);
                if (i > char.MaxValue || value.Length > 1)
                {
                    return null;
                }

                map[i++] = value.Length == 0 ? Dropped : value.Span[0];
            }
        }

        return i == map.Length ? new TextNormalizerTable(map) : null;
    }

    private sealed class ProbeRow
    {
        public string Text { get; set; } = "";
    }
}
