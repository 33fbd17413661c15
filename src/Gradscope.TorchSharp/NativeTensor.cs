using System.Runtime.InteropServices;

namespace Gradscope.TorchSharp;

/// <summary>
/// The native entries the adapter calls itself, on a tensor's handle (LibTorchSharp's THSTensor.h). Reading a
/// gradient through TorchSharp costs a managed Tensor (finalizable, entered in the dispose scope, removed again) and
/// an error check after each property: about 1 µs a gradient and 0.3 µs a read here, which over the fifty-odd tensors
/// of a small MLP's step was a tenth of the step. These calls are a few nanoseconds each. The getters do no more than
/// read the tensor's fields, so they skip the GC transition; <see cref="THSTensor_grad"/> allocates a handle (free it
/// with <see cref="THSTensor_dispose"/>) and keeps the ordinary one.
/// </summary>
internal static partial class NativeTensor
{
    /// <summary>The data pointer (what <c>Tensor.data_ptr()</c> is in PyTorch).</summary>
    [LibraryImport("LibTorchSharp"), SuppressGCTransition]
    public static partial IntPtr THSTensor_data(IntPtr handle);

    /// <summary>A new handle to the tensor's <c>.grad</c>, or zero when it has none.</summary>
    [LibraryImport("LibTorchSharp")]
    public static partial IntPtr THSTensor_grad(IntPtr handle);

    /// <summary>A new handle to the same tensor (no copy, no autograd node); free it with <see cref="THSTensor_dispose"/>.</summary>
    [LibraryImport("LibTorchSharp")]
    public static partial IntPtr THSTensor_alias(IntPtr handle);

    /// <summary>Frees a handle (not the tensor, which lives while another handle or autograd holds it).</summary>
    [LibraryImport("LibTorchSharp")]
    public static partial void THSTensor_dispose(IntPtr handle);

    /// <summary>The element type as TorchSharp's <c>ScalarType</c>.</summary>
    [LibraryImport("LibTorchSharp"), SuppressGCTransition]
    public static partial sbyte THSTensor_type(IntPtr handle);

    /// <summary>The device type: 0 is the CPU.</summary>
    [LibraryImport("LibTorchSharp"), SuppressGCTransition]
    public static partial int THSTensor_device_type(IntPtr handle);

    [LibraryImport("LibTorchSharp"), SuppressGCTransition]
    public static partial int THSTensor_is_contiguous(IntPtr handle);

    [LibraryImport("LibTorchSharp"), SuppressGCTransition]
    public static partial long THSTensor_numel(IntPtr handle);

    [LibraryImport("LibTorchSharp"), SuppressGCTransition]
    public static partial long THSTensor_ndimension(IntPtr handle);

    [LibraryImport("LibTorchSharp"), SuppressGCTransition]
    public static partial long THSTensor_size(IntPtr handle, long dimension);

    /// <summary>The size of the first dimension (the batch), 1 for a scalar.</summary>
    public static long Rows(IntPtr handle) => THSTensor_ndimension(handle) == 0 ? 1 : THSTensor_size(handle, 0);

    /// <summary>
    /// The values of a contiguous CPU tensor of type <paramref name="dtype"/> in place; false for any other (the caller
    /// then converts through TorchSharp).
    /// </summary>
    public static unsafe bool TryRead<T>(IntPtr handle, global::TorchSharp.torch.ScalarType dtype, out ReadOnlySpan<T> values) where T : unmanaged
    {
        values = default;
        if (handle == IntPtr.Zero || THSTensor_type(handle) != (sbyte)dtype || THSTensor_device_type(handle) != 0 || THSTensor_is_contiguous(handle) == 0)
            return false;
        long n = THSTensor_numel(handle);
        if (n == 0) return true;
        values = new ReadOnlySpan<T>((void*)THSTensor_data(handle), checked((int)n));
        return true;
    }
}
