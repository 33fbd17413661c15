namespace Gradscope.Probes;

public sealed partial class ProbeSet<T> : IO.ICheckpointable
{
    /// <summary>
    /// What carries from one step to the next: whether the optimiser measures the fused norms, the spectral norms'
    /// power-iteration vectors (warm starts), and the clip counters since the last record.
    /// Schedules are functions of the step, so they need nothing.
    /// </summary>
    public void WriteState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(_fused);
        writer.Write(_clipSteps);
        writer.Write(_clippedSteps);
        writer.Write(_spectralVector.Length);
        foreach (var v in _spectralVector)
        {
            writer.Write(v is not null);
            if (v is not null) IO.StateIO.Write<double>(writer, v);
        }
    }

    public void ReadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _fused = reader.ReadBoolean();
        _clipSteps = reader.ReadInt64();
        _clippedSteps = reader.ReadInt64();
        if (reader.ReadInt32() != _spectralVector.Length) throw new InvalidDataException("checkpoint does not match this run: probe layers.");
        foreach (var v in _spectralVector)
        {
            bool present = reader.ReadBoolean();
            if (present != v is not null) throw new InvalidDataException("checkpoint does not match this run: probe schedules.");
            if (v is not null) IO.StateIO.ReadInto<double>(reader, v, "spectral-norm vectors");
        }
    }
}
