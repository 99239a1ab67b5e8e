# Załączniki: pliki dołączane do pism i wniosków.

attachment-hint = Dozwolone formaty: { $formats }. Do { $file } na plik i { $item } razem.
attachment-empty = Plik jest pusty.
attachment-name-invalid = Nazwa pliku jest nieprawidłowa. Zmień nazwę pliku i dodaj go ponownie.
attachment-too-large = Plik jest za duży. Zmniejsz go (np. zeskanuj w niższej rozdzielczości) albo podziel na części.
attachment-item-too-large = Pliki razem są za duże. Dodaj mniej plików albo zmniejsz je.
attachment-too-many = Dodano za dużo plików.
attachment-type-not-allowed = Ten rodzaj pliku nie jest przyjmowany. Dodaj plik w jednym z dozwolonych formatów.
attachment-content-mismatch = Zawartość pliku nie odpowiada jego rozszerzeniu (np. zmieniono nazwę pliku albo plik jest uszkodzony).
