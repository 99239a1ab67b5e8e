# Attachments: files added to letters and applications.

attachment-hint = Accepted formats: { $formats }. Up to { $file } per file and { $item } in total.
attachment-empty = The file is empty.
attachment-name-invalid = The file name is not valid. Rename the file and add it again.
attachment-too-large = The file is too large. Make it smaller (e.g. scan at a lower resolution) or split it.
attachment-item-too-large = The files together are too large. Add fewer files or make them smaller.
attachment-too-many = Too many files were added.
attachment-type-not-allowed = This type of file is not accepted. Add a file in one of the accepted formats.
attachment-content-mismatch = The file's content does not match its extension (e.g. the file was renamed or is damaged).
