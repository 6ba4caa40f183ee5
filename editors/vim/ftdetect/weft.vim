" Weft models: *.weft files are filetype weft (editors/vim/syntax/weft.vim).
autocmd BufRead,BufNewFile *.weft setfiletype weft
